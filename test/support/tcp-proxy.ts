import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP forwarder in front of a database, so a test can close its port ("the database is down"), cut the
 * live connections mid-request, and open it again on the same port.
 */
export class TcpProxy {
  #server?: Server;
  readonly #sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<void> {
    const server = createServer(client => {
      const upstream = createConnection(this.target);
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.#server = server;
  }

  /** Cuts every connection now open, as a crashed database or a network fault would. */
  cutConnections(): void {
    for (const socket of this.#sockets) socket.destroy();
  }

  /** Closes the port: new connections are refused until `open()` again. */
  async close(): Promise<void> {
    this.cutConnections();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>(resolve => server.close(() => resolve()));
  }
}
