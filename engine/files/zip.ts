import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  /** Path inside the archive, `/`-separated (UTF-8). */
  name: string;
  content: Uint8Array;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const VERSION = 20; // 2.0: deflate
const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
/** Without ZIP64, sizes and offsets are 32-bit and entries 16-bit. */
const MAX_SIZE = 0xffffffff;
const MAX_ENTRIES = 0xffff;

/**
 * A ZIP archive (PKWARE APPNOTE: deflate, UTF-8 names, no ZIP64) built in memory: for exports a
 * person downloads, which every operating system opens without extra software.
 */
export function zip(entries: ZipEntry[], modifiedAt: Date): Buffer {
  if (entries.length > MAX_ENTRIES) throw new Error(`A ZIP without ZIP64 holds at most ${MAX_ENTRIES} entries`);
  const { time, date } = dosDateTime(modifiedAt);
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = deflateRawSync(entry.content);
    const checksum = crc32(entry.content);
    if (entry.content.length > MAX_SIZE || offset > MAX_SIZE) throw new Error('A ZIP without ZIP64 stays below 4 GiB');
    const fields = { checksum, compressed: data.length, size: entry.content.length, nameLength: name.length };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(DEFLATE, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    writeSizes(local, 14, fields);
    locals.push(local, name, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_HEADER, 0);
    central.writeUInt16LE(VERSION, 4);
    central.writeUInt16LE(VERSION, 6);
    central.writeUInt16LE(UTF8_NAMES, 8);
    central.writeUInt16LE(DEFLATE, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    writeSizes(central, 16, fields);
    // Extra field, comment, disk number, internal and external attributes stay 0.
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);

    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** CRC-32, compressed size, size, name length, extra length (0): the same run in both headers. */
function writeSizes(
  header: Buffer,
  at: number,
  {
    checksum,
    compressed,
    size,
    nameLength,
  }: { checksum: number; compressed: number; size: number; nameLength: number },
) {
  header.writeUInt32LE(checksum, at);
  header.writeUInt32LE(compressed, at + 4);
  header.writeUInt32LE(size, at + 8);
  header.writeUInt16LE(nameLength, at + 12);
  header.writeUInt16LE(0, at + 14);
}

/** MS-DOS date and time (local wall clock of the agency, two-second steps), as ZIP stores them. */
function dosDateTime(moment: Date): { time: number; date: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(moment)
      .map((part) => [part.type, Number(part.value)]),
  );
  const year = Math.max(1980, parts.year ?? 1980);
  return {
    time: ((parts.hour ?? 0) << 11) | ((parts.minute ?? 0) << 5) | Math.floor((parts.second ?? 0) / 2),
    date: ((year - 1980) << 9) | ((parts.month ?? 1) << 5) | (parts.day ?? 1),
  };
}
