declare module 'svg-to-pdfkit' {
  /** Draws an SVG document into a PDFKit document (svg-to-pdfkit has no type declarations of its own). */
  export default function SVGtoPDF(
    doc: PDFKit.PDFDocument,
    svg: string,
    x: number,
    y: number,
    options?: { width?: number; height?: number; assumePt?: boolean; fontCallback?: (family: string, bold: boolean, italic: boolean) => string },
  ): void;
}
