import type { RequestHandler, Response } from "express";
import { HttpError } from "./errors";

/**
 * Merchants authenticate with their API key: `Authorization: Bearer <key>`. The key decides
 * the merchant; the merchant is kept in res.locals for the handlers.
 */
export function requireMerchant(apiKeys: ReadonlyMap<string, string>): RequestHandler {
  return (req, res, next) => {
    const header = req.get("authorization") ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const merchantId = match ? apiKeys.get(match[1]) : undefined;
    if (!merchantId) {
      next(new HttpError(401, "unauthenticated", "A valid API key is required."));
      return;
    }
    res.locals.merchantId = merchantId;
    next();
  };
}

export function merchantOf(res: Response): string {
  const merchantId: unknown = res.locals.merchantId;
  if (typeof merchantId !== "string") {
    throw new Error("merchantOf called on a route without requireMerchant");
  }
  return merchantId;
}
