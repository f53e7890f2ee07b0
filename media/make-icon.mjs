// Draws media/icon.png (128×128, the Marketplace icon) with no dependencies: three session panes
// side by side on a blue rounded square, anti-aliased by 4×4 supersampling, encoded as PNG with
// zlib. Run: node media/make-icon.mjs
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';
import { Buffer } from 'node:buffer';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4;

/** Signed distance to a rounded rectangle (negative inside). */
function roundRect(x, y, r) {
  const cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2;
  const hx = (r.x1 - r.x0) / 2 - r.radius, hy = (r.y1 - r.y0) / 2 - r.radius;
  const dx = Math.abs(x - cx) - hx, dy = Math.abs(y - cy) - hy;
  return Math.hypot(Math.max(dx, 0), Math.max(dy, 0)) + Math.min(Math.max(dx, dy), 0) - r.radius;
}

const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const background = { x0: 4, y0: 4, x1: 124, y1: 124, radius: 26 };
const panes = [
  { x0: 19, y0: 30, x1: 45, y1: 98, radius: 6, accent: [255, 196, 87] },
  { x0: 51, y0: 30, x1: 77, y1: 98, radius: 6, accent: [120, 230, 170] },
  { x0: 83, y0: 30, x1: 109, y1: 98, radius: 6, accent: [255, 140, 160] },
];

/** Colour (RGBA 0..255) of one sample point. */
function sample(x, y) {
  if (roundRect(x, y, background) > 0) return [0, 0, 0, 0];
  let c = mix([36, 99, 235], [109, 40, 217], (x + y) / (2 * SIZE)); // blue → violet
  for (const p of panes) {
    if (roundRect(x, y, p) > 0) continue;
    c = [248, 250, 255];
    const lineY = [p.y0 + 10, p.y0 + 20, p.y0 + 30, p.y0 + 40];
    if (y > p.y0 && y < p.y0 + 6) c = p.accent; // the pane's title bar
    for (const [i, ly] of lineY.entries()) {
      const right = p.x1 - 5 - (i % 2) * 6;
      if (Math.abs(y - ly - 6) < 1.6 && x > p.x0 + 5 && x < right) c = [150, 160, 190];
    }
  }
  return [...c, 255];
}

const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) {
  raw[y * (SIZE * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < SIZE; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const s = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        for (let i = 0; i < 3; i++) acc[i] += s[i] * s[3];
        acc[3] += s[3];
      }
    }
    const o = y * (SIZE * 4 + 1) + 1 + x * 4;
    const a = acc[3] / (SS * SS);
    for (let i = 0; i < 3; i++) raw[o + i] = acc[3] ? Math.round(acc[i] / acc[3]) : 0;
    raw[o + 3] = Math.round(a);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = join(dirname(fileURLToPath(import.meta.url)), 'icon.png');
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
