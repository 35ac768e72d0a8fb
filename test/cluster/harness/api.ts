/** A minimal JSON client for the test API server (client-certificate auth, no dependencies). */
import * as fs from 'fs';
import * as https from 'https';

export interface ApiConfig {
  server: string; // https://127.0.0.1:PORT
  caCert: string;
  clientCert: string;
  clientKey: string;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 500)}`);
  }
}

export class Api {
  private readonly agent: https.Agent;
  constructor(readonly config: ApiConfig) {
    this.agent = new https.Agent({
      ca: fs.readFileSync(config.caCert),
      cert: fs.readFileSync(config.clientCert),
      key: fs.readFileSync(config.clientKey),
      keepAlive: true,
    });
  }

  request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.config.server);
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(url, {
        method,
        agent: this.agent,
        timeout: 30_000,
        headers: { 'Accept': 'application/json', ...(data ? { 'Content-Type': contentType } : {}) },
      }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { text += chunk; });
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 300) reject(new ApiError(res.statusCode ?? 0, text, `${method} ${path}`));
          else resolve((text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text) as T);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)));
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  get<T = any>(path: string): Promise<T> { return this.request<T>('GET', path); }
  post<T = any>(path: string, body: unknown): Promise<T> { return this.request<T>('POST', path, body); }
  delete<T = any>(path: string): Promise<T> { return this.request<T>('DELETE', path); }
  /** Strategic merge patch (the kind kubectl patch sends by default). */
  patch<T = any>(path: string, body: unknown, type: 'strategic' | 'merge' = 'strategic'): Promise<T> {
    return this.request<T>('PATCH', path, body, type === 'strategic' ? 'application/strategic-merge-patch+json' : 'application/merge-patch+json');
  }
  /** Items of a list, e.g. list('/api/v1/namespaces/shop/pods', 'app=x'). */
  async list(path: string, labelSelector?: string): Promise<any[]> {
    const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
    return (await this.get(path + query)).items;
  }
  close(): void { this.agent.destroy(); }
}
