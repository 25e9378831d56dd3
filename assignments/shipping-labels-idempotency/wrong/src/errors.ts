import type { ErrorRequestHandler, RequestHandler } from "express";
import type { Logger } from "./logger";

/**
 * An error that maps to an HTTP response. Every error body has the same shape:
 * `{ "error": { "code": "...", "message": "...", "details"?: [...] } }`.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: string[],
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export function errorBody(code: string, message: string, details?: string[]) {
  return { error: details ? { code, message, details } : { code, message } };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody("not_found", `No route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  // Express recognises an error handler by its four parameters.
  return (err, req, res, _next) => {
    if (err instanceof HttpError) {
      res.status(err.status).json(errorBody(err.code, err.message, err.details));
      return;
    }
    // body-parser's errors (malformed JSON, body too large) carry a status and an expose flag.
    if (typeof err?.status === "number" && err.status < 500 && err.expose) {
      res.status(err.status).json(errorBody("bad_request", err.message));
      return;
    }
    logger.error("unhandled error", { method: req.method, path: req.path, error: String(err?.stack ?? err) });
    res.status(500).json(errorBody("internal_error", "Something went wrong on our side."));
  };
}
