/** Path identity as the file system sees it: case-insensitive on Windows and macOS. No vscode import. */
const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** A key equal for two spellings of one path. */
export function pathKey(absolute: string): string {
  return caseInsensitive ? absolute.toLowerCase() : absolute;
}

export function samePath(a: string, b: string): boolean {
  return pathKey(a) === pathKey(b);
}
