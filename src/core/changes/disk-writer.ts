/** The default FileWriter: atomic writes straight to disk (a host without editors, tests). */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileWriter } from './types';
import { writeFileAtomic } from '../tools/file-write';

export const diskWriter: FileWriter = {
  async write(absolute, content) {
    await writeFileAtomic(absolute, content);
    return 'disk';
  },
  async remove(absolute) {
    await fs.rm(absolute, { force: true });
    return 'disk';
  },
  async rename(from, to) {
    await fs.mkdir(path.dirname(to), { recursive: true });
    await fs.rename(from, to);
    return 'disk';
  },
};
