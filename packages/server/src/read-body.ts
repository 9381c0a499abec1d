import { Readable } from 'node:stream';
import { OutlayError, limits } from '@outlay/schema';

/**
 * Reads a request body as sent, up to `maxBytes`, refusing early on a declared Content-Length above the bound.
 * Decompression happens later, bounded too (decodeBody).
 */
export async function readBody(request: Request, maxBytes: number = limits.maxBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? NaN);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new OutlayError('unsupported_media_type', `Content-Encoding "${encoding}" is not supported; send gzip or none`);
  }
  const tooLarge = () =>
    new OutlayError('payload_too_large', `request body exceeds ${maxBytes} bytes; split it into smaller batches`, {
      details: { max_bytes: maxBytes },
    });
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const part of Readable.fromWeb(request.body as import('node:stream/web').ReadableStream<Uint8Array>)) {
      size += (part as Uint8Array).length;
      if (size > maxBytes) throw tooLarge();
      parts.push(Buffer.from((part as Uint8Array).buffer, (part as Uint8Array).byteOffset, (part as Uint8Array).byteLength));
    }
  } catch (error) {
    if (error instanceof OutlayError) throw error;
    throw new OutlayError('invalid_input', 'could not read the request body', { cause: error });
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
}

/**
 * Parses a JSON array, a single JSON object, or NDJSON (one JSON value per line) into rows. Errors name the
 * line; NaN and Infinity, which are not JSON, get a message of their own.
 */
export function parseRows(body: Buffer, contentType: string | null): unknown[] {
  const text = body.toString('utf8');
  const first = text.trimStart()[0];
  const ndjson = /ndjson|jsonl|json-seq/.test(contentType ?? '') || (first !== '[' && first !== undefined && text.trim().includes('\n'));
  if (first === undefined) throw new OutlayError('invalid_input', 'the request body is empty: send a JSON array or NDJSON rows');
  if (!ndjson) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new OutlayError('invalid_input', `the body is not valid JSON: ${describeJsonError(error, text)}`);
    }
    return Array.isArray(value) ? value : [value];
  }
  const rows: unknown[] = [];
  let line = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    line++;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === '') continue;
    try {
      rows.push(JSON.parse(raw));
    } catch (error) {
      throw new OutlayError('invalid_input', `NDJSON line ${line} is not valid JSON: ${describeJsonError(error, raw)}`, { details: { line } });
    }
  }
  return rows;
}

function describeJsonError(error: unknown, text: string): string {
  if (/\b(NaN|-?Infinity)\b/.test(text)) return 'NaN and Infinity are not JSON numbers; send null for a missing value';
  return error instanceof Error ? error.message : String(error);
}
