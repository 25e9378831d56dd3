export interface Config {
  port: number;
  /** API key → merchant id, from API_KEYS="key1=merchant1,key2=merchant2". */
  apiKeys: Record<string, string>;
  carrier: { url: string; token: string } | null;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, not ${env.PORT}`);
  }
  const apiKeys: Record<string, string> = {};
  for (const pair of (env.API_KEYS ?? "dev-key=merchant_dev").split(",")) {
    const [key, merchantId] = pair.split("=").map((part) => part.trim());
    if (!key || !merchantId) {
      throw new Error(`API_KEYS entries look like key=merchant, not ${pair}`);
    }
    apiKeys[key] = merchantId;
  }
  const carrier = env.CARRIER_URL ? { url: env.CARRIER_URL, token: env.CARRIER_TOKEN ?? "" } : null;
  return { port, apiKeys, carrier };
}
