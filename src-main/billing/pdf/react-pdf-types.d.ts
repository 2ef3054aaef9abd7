// The few parts of @react-pdf/renderer (and React's createElement) the invoice PDF uses, typed
// here for the Node-side program (tsconfig.node.json "paths"). The packages' own types pull in
// @types/react, whose global `interface HTMLElement {}` replaces the DOM-less `any` in the
// Playwright specs' evaluate() callbacks and breaks their typecheck. Runtime code is unchanged:
// Vite resolves the real packages.
export type Style = Record<string, string | number | undefined>;
export type Styles =
  Style | Style[] | (Style | Record<string, unknown>)[] | Record<string, unknown>;
export type Element = { readonly __element: unique symbol };
export type Component = (props: never) => unknown;

export declare const Document: Component;
export declare const Page: Component;
export declare const View: Component;
export declare const Text: Component;
export declare const Image: Component;
/** <Canvas paint={(painter, width, height) => ...}>: pdfkit's drawing calls, in the box's frame. */
export declare const Canvas: Component;
/** The pdfkit methods react-pdf's Canvas hands to `paint` (the ones the session table uses). */
export interface Painter {
  font(src: FontkitFont, family: string, size?: number): Painter;
  fontSize(size: number): Painter;
  fillColor(colour: string): Painter;
  /** With lineBreak false pdfkit writes the line as it is (no wrapping of its own). */
  text(text: string, x: number, y: number, options: { lineBreak: false }): Painter;
  rect(x: number, y: number, width: number, height: number): Painter;
  fill(colour?: string): Painter;
  save(): Painter;
  restore(): Painter;
  translate(x: number, y: number): Painter;
}
export declare const StyleSheet: { create<T extends Record<string, Style>>(styles: T): T };
/** The parts of a fontkit font (Font.getFont(...).data once loaded) the session table uses. */
export interface FontkitFont {
  postscriptName: string;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  lineGap: number;
  glyphForCodePoint(codePoint: number): { advanceWidth: number };
}
export declare const Font: {
  register(font: {
    family: string;
    fonts: { src: string; fontWeight?: 'normal' | 'bold'; fontStyle?: string }[];
  }): void;
  registerHyphenationCallback(fn: (word: string) => string[]): void;
  load(descriptor: { fontFamily: string; fontWeight?: number }): Promise<void>;
  getFont(descriptor: { fontFamily: string; fontWeight?: number }): {
    data: FontkitFont | null;
  };
};
export declare function renderToBuffer(document: Element): Promise<Buffer>;
export declare function createElement(
  type: Component,
  props: Record<string, unknown> | null,
  ...children: unknown[]
): Element;
