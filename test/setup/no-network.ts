// A safety net for tests that run real SDK clients: refuse (and record) any TCP connection that is not to loopback.
//
// DefaultAzureCredential falls back to ManagedIdentityCredential (IMDS at 169.254.169.254) and, without
// `disableInstanceDiscovery`, MSAL asks login.microsoftonline.com. Tests must never reach either; with this guard an
// accidental attempt fails fast as a connection error and shows up in `attempts` for the test to assert on.
import net from 'node:net';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|::1|::ffff:127(\.\d{1,3}){3})$/i;

export interface NetworkGuard {
  /** `host:port` of every refused connection attempt. */
  attempts: string[];
  restore(): void;
}

type ConnectOptions = { host?: string; port?: number | string; path?: string };

export function blockNonLoopback(): NetworkGuard {
  const original = net.Socket.prototype.connect;
  const attempts: string[] = [];
  // Socket#connect(options | [options, cb] | path | port, host?, cb?) — http/https/tls all end up here.
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0];
    let target: ConnectOptions;
    if (typeof first === 'object' && first !== null) target = first as ConnectOptions;
    else if (typeof first === 'string' && !/^\d+$/.test(first)) target = { path: first };
    else target = { port: first as number, host: typeof args[1] === 'string' ? args[1] : undefined };
    const host = target.host ?? 'localhost';
    if (target.path === undefined && !LOOPBACK.test(host)) {
      attempts.push(`${host}:${String(target.port ?? '')}`);
      const err = Object.assign(new Error(`test network guard: refused connection to ${host}:${String(target.port ?? '')}`), {
        code: 'ECONNREFUSED',
      });
      process.nextTick(() => this.destroy(err));
      return this;
    }
    return (original as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = original;
    },
  };
}
