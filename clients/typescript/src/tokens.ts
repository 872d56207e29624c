import * as https from "node:https";

/**
 * Access tokens from the hub's /connect/token: OAuth2 client credentials with the client
 * authenticated by its certificate alone (RFC 8705 tls_client_auth), so the token is bound to
 * that certificate. One token is shared by every call and renewed once 80% of its lifetime has
 * passed; concurrent callers share one request.
 */
export class TokenSource {
  private current: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;
  /** How many tokens were issued to this source. */
  tokensIssued = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly agencyId: string,
    private readonly tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer },
    private readonly scopes: readonly string[] = [],
  ) {}

  /** A valid access token, fetched or renewed when needed. */
  async getToken(): Promise<string> {
    if (this.current && Date.now() < this.current.renewAt) return this.current.token;
    this.pending ??= this.request().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** Forgets the current token (after TOKEN_INVALID); the next call fetches a new one. */
  invalidate(): void {
    this.current = undefined;
  }

  private async request(): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials", client_id: this.agencyId });
    if (this.scopes.length > 0) form.set("scope", this.scopes.join(" "));
    const requestedAt = Date.now();
    const { status, body } = await post(new URL("/connect/token", this.baseUrl), form.toString(), this.tls);
    const json = JSON.parse(body) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
    if (status !== 200 || !json.access_token) {
      throw new TokenRequestError(json.error ?? `http_${status}`, json.error_description);
    }
    const lifetimeMs = Math.max(1, json.expires_in ?? 300) * 1000;
    this.current = { token: json.access_token, renewAt: requestedAt + lifetimeMs * 0.8 };
    this.tokensIssued++;
    return json.access_token;
  }
}

/** The token endpoint refused; `error` is the OAuth2 error code (invalid_client, invalid_scope…). */
export class TokenRequestError extends Error {
  constructor(readonly error: string, readonly description: string | undefined) {
    super(`The hub refused a token: ${error}${description ? ": " + description : ""}`);
    this.name = "TokenRequestError";
  }
}

function post(url: URL, body: string, tls: { cert: string | Buffer; key: string | Buffer; ca: string | Buffer }) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = https.request(
      url,
      {
        method: "POST",
        ...tls, // the hub CA alone is trusted (Node replaces its default roots with `ca`)
        agent: false, // a connection of its own each time: tokens are fetched every few minutes, and a pooled socket may have died meanwhile
        headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(Object.assign(new Error("token request timed out"), { code: "ETIMEDOUT" })));
    request.on("error", reject);
    request.end(body);
  });
}
