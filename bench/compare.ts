import type { LoadSession } from './load.ts';
import { runLoad, type Instance } from './processes.ts';

/** One side of a comparison: an instance and the browsers that load it. */
export interface Side {
  instances: Instance[];
  method: 'GET' | 'POST';
  expectedStatus: number;
  /** One list of browser sessions per instance, one session per connection. */
  sessions: LoadSession[][];
  /** Responses with the expected status so far, warm-ups included (to check against what the database saw). */
  answered?: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface SideFigures {
  requestsPerSecond: Spread;
  /** Server CPU time (user + system, all instances) per request, µs. */
  cpuMicrosPerRequest: Spread;
  unexpected: number;
}

export interface Comparison {
  a: SideFigures;
  b: SideFigures;
  /** The median of the rounds' B/A, each B round against the A round beside it. */
  ratio: number;
  /** The worst and best B/A of the rounds, each B round against the A round beside it. */
  ratioRange: [number, number];
}

const warmUpRequests = 300;

const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((x, y) => x - y);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)! };
};

/** One round: every instance of the side loaded at once by its own load generator process. */
async function round(
  side: Side,
  requestsPerConnection: number,
): Promise<{ requestsPerSecond: number; cpuMicrosPerRequest: number; unexpected: number }> {
  const before = await Promise.all(side.instances.map(instance => instance.usage()));
  const results = await Promise.all(
    side.instances.map((instance, index) =>
      runLoad({
        url: instance.url,
        method: side.method,
        requestsPerConnection,
        expectedStatus: side.expectedStatus,
        sessions: side.sessions[index]!,
      }),
    ),
  );
  const after = await Promise.all(side.instances.map(instance => instance.usage()));
  // The browsers go on from where the round left them (a switch renews their cookies).
  side.sessions = results.map(result => result.sessions);
  const requests = results.reduce((sum, result) => sum + result.requests, 0);
  const unexpected = results.reduce((sum, result) => sum + result.unexpected, 0);
  side.answered = (side.answered ?? 0) + requests - unexpected;
  const cpu = after.reduce((sum, usage, index) => sum + usage.cpuMicros - before[index]!.cpuMicros, 0);
  return {
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0),
    cpuMicrosPerRequest: cpu / requests,
    unexpected,
  };
}

/**
 * A against B: a warm-up of each (which also sizes the rounds: about `duration` seconds each), then `rounds`
 * rounds of each, interleaved (A B, B A, A B, …) so that a drift of the machine falls on both sides alike.
 */
export async function compare(
  a: Side,
  b: Side,
  { rounds, duration }: { rounds: number; duration: number },
): Promise<Comparison> {
  const warmUp = { a: await round(a, warmUpRequests), b: await round(b, warmUpRequests) };
  // An even number: a browser switching back and forth ends each round acting as the account it started with,
  // where its paths and tokens start again.
  const perConnection = (side: Side, name: 'a' | 'b') =>
    2 *
    Math.max(
      warmUpRequests / 2,
      Math.round((warmUp[name].requestsPerSecond * duration) / side.sessions.flat().length / 2),
    );
  const figures = { a: [] as Awaited<ReturnType<typeof round>>[], b: [] as Awaited<ReturnType<typeof round>>[] };
  for (let index = 0; index < rounds; index++) {
    const order = index % 2 === 0 ? (['a', 'b'] as const) : (['b', 'a'] as const);
    for (const name of order) {
      const side = name === 'a' ? a : b;
      figures[name].push(await round(side, perConnection(side, name)));
    }
  }
  const summary = (side: typeof figures.a): SideFigures => ({
    requestsPerSecond: spread(side.map(figure => figure.requestsPerSecond)),
    cpuMicrosPerRequest: spread(side.map(figure => figure.cpuMicrosPerRequest)),
    unexpected: side.reduce((sum, figure) => sum + figure.unexpected, 0),
  });
  const roundRatios = figures.b.map((figure, index) => figure.requestsPerSecond / figures.a[index]!.requestsPerSecond);
  const a$ = summary(figures.a);
  const b$ = summary(figures.b);
  return {
    a: a$,
    b: b$,
    // Paired, not B's median over A's: the machine drifts between rounds (the same load on one instance cost
    // 527 to 893 µs of CPU a request in eight phases in a row), and a pair shares its moment of the drift.
    ratio: spread(roundRatios).median,
    ratioRange: [Math.min(...roundRatios), Math.max(...roundRatios)],
  };
}
