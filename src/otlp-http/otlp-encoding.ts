// OTLP/HTTP's two encodings and how Content-Type names them. Media types are compared like Go's
// mime.ParseMediaType does for the collector: case-insensitively, parameters (`charset=utf-8`)
// ignored, anything unparseable matching nothing.

export type OtlpEncoding = 'protobuf' | 'json';

export const PROTOBUF_CONTENT_TYPE = 'application/x-protobuf';
export const JSON_CONTENT_TYPE = 'application/json';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `type/subtype` in lower case, or '' when the header is absent or malformed. */
export function mediaTypeOf(header: string | null | undefined): string {
  if (!header) return '';
  const semi = header.indexOf(';');
  const full = (semi < 0 ? header : header.slice(0, semi)).trim();
  const slash = full.indexOf('/');
  if (slash <= 0) return '';
  const type = full.slice(0, slash);
  const subtype = full.slice(slash + 1);
  if (!TOKEN.test(type) || !TOKEN.test(subtype)) return '';
  return full.toLowerCase();
}

/** The encoding a Content-Type selects, or undefined for anything else. */
export function encodingOf(contentType: string | null | undefined): OtlpEncoding | undefined {
  const media = mediaTypeOf(contentType);
  if (media === PROTOBUF_CONTENT_TYPE) return 'protobuf';
  if (media === JSON_CONTENT_TYPE) return 'json';
  return undefined;
}

export function contentTypeOf(encoding: OtlpEncoding): string {
  return encoding === 'protobuf' ? PROTOBUF_CONTENT_TYPE : JSON_CONTENT_TYPE;
}
