import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Reads a request body of at most `maxBytes`. A body that passes the limit — announced by
 * Content-Length or discovered while reading a chunked one — is not read further: the request is
 * paused at once, so a 64 MB upload costs the server about `maxBytes` plus socket buffers.
 * The caller answers (413) and should call `closeAfterResponse` so the connection ends.
 */
export function readLimitedBody(req: IncomingMessage, maxBytes: number): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: 'too_large' }> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.pause();
    return Promise.resolve({ ok: false, reason: 'too_large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size <= maxBytes) {
        chunks.push(c);
        return;
      }
      cleanup();
      req.pause();
      resolve({ ok: false, reason: 'too_large' });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ ok: true, bytes: Buffer.concat(chunks) });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Ends the connection once the response is out, without reading the rest of a refused body:
 * `Connection: close`, then a FIN after the response, and a hard close shortly after for a
 * client that keeps sending.
 */
export function closeAfterResponse(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  res.once('finish', () => {
    req.socket.end();
    setTimeout(() => req.socket.destroy(), 2_000).unref();
  });
}
