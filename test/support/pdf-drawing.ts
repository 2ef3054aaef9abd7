// What a PDF page draws, read with pdfjs's operator list: the fill colours of vector shapes and
// how many raster images it places (a vector logo must arrive as shapes in its own colours).
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PageDrawing {
  /** Fill colours set before drawing, as pdfjs reports them (lower-case '#rrggbb'). */
  fills: string[];
  /** Raster images painted. */
  images: number;
  /** Vector paths constructed. */
  paths: number;
}

export async function pageDrawing(bytes: Uint8Array, pageNumber = 1): Promise<PageDrawing> {
  const doc = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const page = await doc.getPage(pageNumber);
  const ops = await page.getOperatorList();
  const out: PageDrawing = { fills: [], images: 0, paths: 0 };
  ops.fnArray.forEach((fn, i) => {
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.setFillRGBColor) out.fills.push(String(args[0]).toLowerCase());
    if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject) out.images += 1;
    if (fn === OPS.constructPath) out.paths += 1;
  });
  await doc.destroy();
  return out;
}
