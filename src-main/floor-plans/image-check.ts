// What a floor-plan upload really is. The file's name and claimed type are ignored: the bytes
// are sniffed (PNG, JPEG or SVG), walked to the end (a cut-short or damaged file is refused, so a
// plan never half-draws), and measured. SVG is refused, not cleaned, when it carries anything
// active (scripts, event handlers, foreign objects, external references, entities): a plan has
// no need for them, and refusing is easier to get right than rewriting (docs/security.md).
import { crc32 } from 'node:zlib';
import {
  FLOOR_PLAN_MAX_BYTES,
  FLOOR_PLAN_MAX_SIDE,
  formatMegabytes,
  type FloorPlanType,
} from '../../src-shared/floor-plans';

export interface CheckedImage {
  mime: FloorPlanType;
  width: number;
  height: number;
}

/** Why a file is not accepted as a plan, in words for the person who chose it. */
export class PlanRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanRejected';
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function checkPlanImage(data: Buffer): CheckedImage {
  if (data.length === 0) throw new PlanRejected('The file is empty.');
  if (data.length > FLOOR_PLAN_MAX_BYTES) {
    throw new PlanRejected(
      `The file is ${formatMegabytes(data.length)}; a floor plan may be at most ${formatMegabytes(FLOOR_PLAN_MAX_BYTES)}. Export it at a lower resolution or as a JPEG.`,
    );
  }
  const image = sniff(data);
  if (image.width < 1 || image.height < 1) {
    throw new PlanRejected('The image has no size (its width or height is zero).');
  }
  if (image.width > FLOOR_PLAN_MAX_SIDE || image.height > FLOOR_PLAN_MAX_SIDE) {
    throw new PlanRejected(
      `The image is ${image.width} × ${image.height} pixels; a floor plan may be at most ${FLOOR_PLAN_MAX_SIDE} pixels on each side.`,
    );
  }
  return image;
}

function sniff(data: Buffer): CheckedImage {
  if (data.subarray(0, 8).equals(PNG_SIGNATURE)) return checkPng(data);
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return checkJpeg(data);
  const svg = checkSvg(data);
  if (svg) return svg;
  throw new PlanRejected(
    'This file is not an image StrataCharge can show: choose a PNG, JPEG or SVG floor plan.',
  );
}

const CUT_SHORT = (kind: string) =>
  new PlanRejected(
    `The ${kind} file is damaged or cut short (it may not have finished downloading). Open it in an image viewer and save it again.`,
  );

function checkPng(data: Buffer): CheckedImage {
  let at = 8;
  let width = 0;
  let height = 0;
  let sawData = false;
  for (;;) {
    if (at + 12 > data.length) throw CUT_SHORT('PNG');
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const end = at + 12 + length;
    if (end > data.length) throw CUT_SHORT('PNG');
    const crc = data.readUInt32BE(end - 4);
    if (crc32(data.subarray(at + 4, end - 4)) !== crc) throw CUT_SHORT('PNG');
    if (at === 8) {
      if (type !== 'IHDR' || length !== 13) throw CUT_SHORT('PNG');
      width = data.readUInt32BE(at + 8);
      height = data.readUInt32BE(at + 12);
    }
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') break;
    at = end;
  }
  if (!sawData) throw CUT_SHORT('PNG');
  return { mime: 'image/png', width, height };
}

/** Start-of-frame markers carry the size (all SOFn but DHT C4, JPG C8 and DAC CC). */
const isStartOfFrame = (m: number) =>
  m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function checkJpeg(data: Buffer): CheckedImage {
  let at = 2;
  let size: { width: number; height: number } | null = null;
  for (;;) {
    if (at + 2 > data.length) throw CUT_SHORT('JPEG');
    if (data[at] !== 0xff) throw CUT_SHORT('JPEG');
    let marker = data.readUInt8(at + 1);
    while (marker === 0xff && at + 2 < data.length) marker = data.readUInt8(++at + 1);
    at += 2;
    if (marker === 0xd9) break; // end of image
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (at + 2 > data.length) throw CUT_SHORT('JPEG');
    const length = data.readUInt16BE(at);
    if (length < 2 || at + length > data.length) throw CUT_SHORT('JPEG');
    if (isStartOfFrame(marker)) {
      if (length < 7) throw CUT_SHORT('JPEG');
      size = { height: data.readUInt16BE(at + 3), width: data.readUInt16BE(at + 5) };
    }
    at += length;
    if (marker === 0xda) {
      // Entropy-coded data runs until a marker that is neither a stuffed 0xFF00 nor a restart.
      while (at + 1 < data.length) {
        const next = data.readUInt8(at + 1);
        if (data[at] === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break;
        at++;
      }
    }
  }
  if (!size) throw CUT_SHORT('JPEG');
  return { mime: 'image/jpeg', ...size };
}

/** What an SVG floor plan may not contain, and how to say so. */
const SVG_REFUSALS: [RegExp, string][] = [
  [/<!ENTITY/i, 'entity declarations'],
  [/<!DOCTYPE[^>]*\[/i, 'an internal document type'],
  [/<script[\s>/]/i, 'a script'],
  [/<foreignObject[\s>/]/i, 'a foreign object (embedded web content)'],
  [/<(iframe|embed|object|audio|video|animate|set|handler|listener)[\s>/]/i, 'embedded content'],
  [/\son[a-z]+\s*=/i, 'an event handler (on… attribute)'],
  [/javascript:/i, 'a javascript: link'],
  [/(?:xlink:)?href\s*=\s*["'](?!#)/i, 'a link or reference to another file'],
  [/url\(\s*["']?(?!#)/i, 'a reference to another file (url())'],
  [/@import/i, 'a style sheet import'],
];

function checkSvg(data: Buffer): CheckedImage | null {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return null;
  }
  if (!/^\uFEFF?\s*</.test(text) || !/<svg[\s>]/i.test(text)) return null;
  // Refusals first: what an SVG must not carry is named even when the rest is malformed.
  for (const [pattern, what] of SVG_REFUSALS) {
    if (pattern.test(text)) {
      throw new PlanRejected(
        `This SVG contains ${what}, which a floor plan does not need and StrataCharge does not accept (it could run code in the browser). Export the plan as plain SVG, PNG or JPEG.`,
      );
    }
  }
  // The root element: after an optional BOM, XML declaration, comments and a doctype.
  const root =
    /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg\b([^>]*)>/i.exec(
      text,
    );
  if (!root || !/<\/svg\s*>\s*$/i.test(text.replace(/<!--[\s\S]*?-->/g, '').trimEnd())) {
    throw CUT_SHORT('SVG');
  }
  const attrs = root[1] ?? '';
  const attr = (name: string) =>
    new RegExp(`\\s${name}\\s*=\\s*["']\\s*([0-9.]+)\\s*(px)?\\s*["']`, 'i').exec(attrs);
  const w = attr('width');
  const h = attr('height');
  if (w && h) {
    return {
      mime: 'image/svg+xml',
      width: Math.round(Number(w[1])),
      height: Math.round(Number(h[1])),
    };
  }
  const viewBox = /\sviewBox\s*=\s*["']([^"']*)["']/i.exec(attrs);
  const parts =
    viewBox?.[1]
      ?.trim()
      .split(/[\s,]+/)
      .map(Number) ?? [];
  const [, , width, height] = parts;
  if (parts.length === 4 && parts.every(Number.isFinite) && width && height) {
    return { mime: 'image/svg+xml', width: Math.round(width), height: Math.round(height) };
  }
  throw new PlanRejected(
    'This SVG does not say how large it is: give its <svg> element a width and height, or a viewBox.',
  );
}
