/**
 * Windows reserved device names. On Windows `CON`, `NUL`, `COM1` … name a device in every folder,
 * whatever follows them: `CON.jsonl`, `nul.txt`, `COM1.` and `AUX .log` all open the device, not a
 * file (the extension from the first dot, trailing dots and spaces, and an NTFS `:stream` suffix
 * are ignored when the name is matched; case never matters). An id that becomes a file name must
 * never be one, or what is written to it goes nowhere. Plain string code: usable by core and the
 * protocol schema alike.
 */

/** The reserved stems (`COM¹²³`/`LPT¹²³` too: Windows reads the superscript digits as 1-3). */
const DEVICE_STEM = /^(?:CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$)$/i;

/**
 * True when `name` (one path segment) names a Windows device: its part before the first `.`
 * or `:`, with trailing spaces removed, is a reserved stem in any case.
 * `isWindowsDeviceName('CON.jsonl')` and `('com1.')` are true; `('CONSOLE')`, `('COM10')`,
 * `('a.CON')` are false.
 */
export function isWindowsDeviceName(name: string): boolean {
  const stem = name.split(/[.:]/, 1)[0].replace(/ +$/, '');
  return DEVICE_STEM.test(stem);
}
