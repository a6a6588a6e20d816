/** Writes a ZIP archive (deflate) of the entries, in order, with a fixed timestamp. */
export declare function zip(entries: { name: string; data: Buffer; mode?: number }[]): Buffer;
/** The entries of a ZIP archive, each checked against its CRC. */
export declare function unzip(archive: Buffer): { name: string; data: Buffer }[];
