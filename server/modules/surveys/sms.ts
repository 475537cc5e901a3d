/**
 * Sending a one-time code by SMS. Pluggable: an operator's gateway implements `SmsSender`; the
 * logging sender (development, tests, the demo) writes the message to the log and keeps the last
 * ones in memory so that a test or a developer can read the code.
 */
export interface SmsSender {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

export class LoggingSmsSender implements SmsSender {
  readonly name = 'log';
  readonly sent: { phone: string; text: string; at: Date }[] = [];
  async send(phone: string, text: string): Promise<void> {
    this.sent.push({ phone, text, at: new Date() });
    if (this.sent.length > 200) this.sent.shift();
    if (process.env.NODE_ENV !== 'test') console.info(`[短信·开发] ${phone.slice(0, 3)}****${phone.slice(7)}：${text}`);
  }
  /** the last code sent to a phone (development and tests) */
  lastCode(phone: string): string | null {
    for (let i = this.sent.length - 1; i >= 0; i--) if (this.sent[i].phone === phone) return this.sent[i].text.match(/\d{6}/)?.[0] ?? null;
    return null;
  }
}

/** The process's sender: the logging one until a gateway is configured. */
export const smsSender: { current: SmsSender } = { current: new LoggingSmsSender() };
