import { createApp } from "./app";
import type { CarrierClient } from "./carrier/client";
import { HttpCarrierClient } from "./carrier/http";
import { SandboxCarrier } from "./carrier/sandbox";
import { loadConfig } from "./config";
import { jsonLogger } from "./logger";

const config = loadConfig(process.env);
const carrier: CarrierClient = config.carrier
  ? new HttpCarrierClient(config.carrier.url, config.carrier.token)
  : new SandboxCarrier();

const app = createApp({ carrier, apiKeys: config.apiKeys, logger: jsonLogger });
const server = app.listen(config.port, () => {
  jsonLogger.info("listening", { port: config.port, carrier: config.carrier ? "http" : "sandbox" });
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
