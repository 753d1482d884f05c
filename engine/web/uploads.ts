/**
 * The files of a multipart request, for routes that may not reach engine/files themselves (admin/: task forms
 * with uploads). The parser runs before the CSRF check (engine/main/drafting.ts builds it).
 */
export { uploadsOf, type Uploads } from '../files/multipart.js';
