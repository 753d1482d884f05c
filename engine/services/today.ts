// The rule lives with the case contract, which the workflow shares; services keep importing it from here.
export { agencyToday } from '../case/today.js';
