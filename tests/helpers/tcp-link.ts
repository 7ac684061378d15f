// A network link that a test can cut: a TCP relay on 127.0.0.1 forwarding every connection to a
// local port. cut() stops delivery both ways, as a link that goes down does: no reset, no FIN —
// open connections stall and new ones get no answer (their bytes are held, as TCP's
// retransmissions would hold them); restore() delivers what was held, in order, and carries on.
// Needs no privileges, network namespace or extra address, so it runs on any machine.
import { connect, createServer, type Socket } from 'node:net';

export interface TcpLink {
  /** The relay's port on 127.0.0.1: connect here instead of to the target. */
  port: number;
  cut(): void;
  restore(): void;
  /** Drops every relayed connection and stops listening. */
  close(): Promise<void>;
}

/** Starts a relay to 127.0.0.1:`target`. */
export async function tcpLink(target: number): Promise<TcpLink> {
  const sockets = new Set<Socket>();
  let down = false;
  const held: Array<() => void> = [];
  const deliver = (send: () => void) => { if (down) held.push(send); else send(); };
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const pair = [client, upstream] as const;
    for (const [from, to] of [pair, [upstream, client] as const]) {
      sockets.add(from);
      from.on('data', (d: Buffer) => deliver(() => { to.write(d); }));
      from.on('end', () => deliver(() => { to.end(); }));
      from.on('error', () => deliver(() => { to.destroy(); }));
      from.on('close', () => sockets.delete(from));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    cut() { down = true; },
    restore() {
      down = false;
      for (const send of held.splice(0)) send();
    },
    async close() {
      held.length = 0;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
