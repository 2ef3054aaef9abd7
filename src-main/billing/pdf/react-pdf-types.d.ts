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
export declare const StyleSheet: { create<T extends Record<string, Style>>(styles: T): T };
/** The parts of a fontkit font (Font.getFont(...).data once loaded) the pagination measures. */
export interface FontkitFont {
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
  load(descriptor: { fontFamily: string; fontWeight?: 'normal' | 'bold' }): Promise<void>;
  getFont(descriptor: { fontFamily: string; fontWeight?: 'normal' | 'bold' }): {
    data: FontkitFont | null;
  };
};
export declare function renderToBuffer(document: Element): Promise<Buffer>;
export declare function createElement(
  type: Component,
  props: Record<string, unknown> | null,
  ...children: unknown[]
): Element;
