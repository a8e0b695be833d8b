// LISTEN on one PostgreSQL channel from a dedicated connection, reconnecting after it breaks:
// each NOTIFY payload is emitted as "notification", and "reconnected" tells the owner that
// whatever was sent while the connection was down was missed (so it can read the state again).
import { EventEmitter } from "node:events";
import pg from "pg";
import { silentLogger, type Logger } from "../core/logger.ts";
import { PersistenceError } from "./PersistenceError.ts";

export type NotificationListenerEvents = { notification: [payload: string]; reconnected: [] };

export type NotificationListenerOptions = {
  url: string;
  /** A lowercase identifier: the channel writers NOTIFY. */
  channel: string;
  /** Pause before connecting again after the connection broke (default 1,000 ms). */
  retryMs?: number;
  logger?: Logger;
};

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** NOTIFY payloads must stay below PostgreSQL's 8,000 bytes. */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7_900;

export class NotificationListener extends EventEmitter<NotificationListenerEvents> {
  readonly #url: string;
  readonly #channel: string;
  readonly #retryMs: number;
  readonly #logger: Logger;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: NotificationListenerOptions) {
    super();
    if (!CHANNEL.test(options.channel)) {
      throw new PersistenceError("INVALID_DATABASE_OPTIONS", `channel "${options.channel}" must be a lowercase identifier`);
    }
    this.#url = options.url;
    this.#channel = options.channel;
    this.#retryMs = options.retryMs ?? 1_000;
    this.#logger = (options.logger ?? silentLogger()).child({ component: "notification-listener", channel: options.channel });
  }

  get channel(): string {
    return this.#channel;
  }

  /** Connects and listens; rejects when the first connection fails (later failures are retried). */
  async start(): Promise<void> {
    await this.#listen();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, keepAlive: true, application_name: "continuum-listen" });
    client.on("notification", (message) => {
      if (message.channel === this.#channel && message.payload !== undefined) this.emit("notification", message.payload);
    });
    client.on("error", (error) => this.#broken(client, error.message));
    client.on("end", () => this.#broken(client, "connection ended"));
    this.#client = client;
    try {
      await client.connect();
      await client.query(`LISTEN "${this.#channel}"`);
    } catch (error) {
      this.#client = undefined;
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  #broken(client: pg.Client, reason: string): void {
    if (client !== this.#client || this.#closed) return;
    this.#client = undefined;
    client.end().catch(() => undefined);
    this.#logger.warn({ reason }, "lost the notification connection; notifications are missed until it is back");
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#listen().then(
        () => {
          if (this.#closed) return;
          this.#logger.info("notification connection back");
          this.emit("reconnected");
        },
        (error: unknown) => {
          this.#logger.debug({ err: error }, "cannot reconnect the notification connection yet");
          this.#scheduleReconnect();
        },
      );
    }, this.#retryMs);
    this.#retry.unref();
  }
}
