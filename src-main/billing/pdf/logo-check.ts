// What an issuer's logo upload really is, before it goes on every invoice. The bytes are sniffed
// and walked like a floor plan's (floor-plans/image-check.ts: PNG, JPEG or SVG, a damaged file
// refused, SVG with anything active refused: scripts, event handlers, foreign objects, entities,
// links or url() to anything outside the file), then held to the logo's own limits.
//
// SVG logos are drawn by @react-pdf/renderer's own SVG support (its Image takes an SVG and draws
// it as vector shapes in the PDF; nothing is rasterised, nothing is fetched). That renderer does
// not apply style sheets, so an SVG styled by a <style> element (with classes) would print in the
// wrong colours: it is refused with how to export it instead. A vector logo has no pixel size to
// be too small for, so only its declared size's upper limit applies; its element count is capped,
// as every PDF of a run draws it again.
import { formatMegabytes } from '../../../src-shared/floor-plans';
import { LOGO_MAX_BYTES, LOGO_MAX_SIDE, LOGO_MIN_SIDE } from '../../../src-shared/billing/settings';
import { checkPlanImage, PlanRejected, type CheckedImage } from '../../floor-plans/image-check';

/** Shapes in an SVG logo at most (a detailed crest has a few hundred). */
export const LOGO_MAX_SVG_ELEMENTS = 2_000;

export class LogoRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LogoRejected';
  }
}

/** The logo's type and size, or LogoRejected saying what is wrong and what to do. */
export function checkLogo(data: Buffer): CheckedImage {
  if (data.length > LOGO_MAX_BYTES) {
    throw new LogoRejected(
      `The logo is ${formatMegabytes(data.length)}; a logo may be at most ${formatMegabytes(LOGO_MAX_BYTES)}. Save it smaller (a logo needs no more than 1000 pixels across).`,
    );
  }
  let image: CheckedImage;
  try {
    image = checkPlanImage(data);
  } catch (e) {
    if (e instanceof PlanRejected) {
      throw new LogoRejected(
        e.message
          .replaceAll('a floor plan', 'a logo')
          .replaceAll('floor plan', 'logo')
          .replaceAll('the plan', 'the logo'),
      );
    }
    throw e;
  }
  if (image.width > LOGO_MAX_SIDE || image.height > LOGO_MAX_SIDE) {
    const unit = image.mime === 'image/svg+xml' ? 'units' : 'pixels';
    throw new LogoRejected(
      `The logo is ${image.width} × ${image.height} ${unit}; it may be at most ${LOGO_MAX_SIDE} ${unit} on each side.`,
    );
  }
  if (image.mime === 'image/svg+xml') {
    const text = data.toString('utf8');
    if (/<style[\s>/]/i.test(text)) {
      throw new LogoRejected(
        'This SVG is coloured by a style sheet (a <style> element), which invoices cannot apply: the logo would print in the wrong colours. Export it with presentation attributes (in Illustrator: Styling "Presentation Attributes"; in Inkscape: plain SVG), or as PNG.',
      );
    }
    const elements = text.match(/<[a-zA-Z]/g)?.length ?? 0;
    if (elements > LOGO_MAX_SVG_ELEMENTS) {
      throw new LogoRejected(
        `This SVG has ${elements.toLocaleString('en-AU')} elements; a logo may have at most ${LOGO_MAX_SVG_ELEMENTS.toLocaleString('en-AU')} (every invoice draws it). Simplify it or save it as PNG.`,
      );
    }
    return image;
  }
  if (image.width < LOGO_MIN_SIDE || image.height < LOGO_MIN_SIDE) {
    throw new LogoRejected(
      `The logo is ${image.width} × ${image.height} pixels; it needs at least ${LOGO_MIN_SIDE} pixels on each side to print sharply.`,
    );
  }
  return image;
}
