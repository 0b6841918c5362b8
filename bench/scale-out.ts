import { compare, type Comparison, type Side } from './compare.ts';
import type { InstanceSpec } from './instance.ts';
import { Instance } from './processes.ts';
import { benchDatabase } from './database.ts';
import { benchSettings } from './requests.ts';
import { loadSession, signedInSessions } from './sessions.ts';

export interface ScaleOutFigure {
  instances: number;
  comparison: Comparison;
}

/**
 * For apps that outgrow one process: A and B with sessions in Redis and data in PostgreSQL, at one instance and
 * at two (each with its own load generator, half the browsers each).
 */
export async function measureScaleOut(): Promise<ScaleOutFigure[]> {
  const { connections } = benchSettings;
  const { orm, dbName, drop } = await benchDatabase('postgresql');
  const spec = (kind: InstanceSpec['kind']): InstanceSpec => ({
    database: 'postgresql',
    dbName,
    kind,
    store: 'redis',
    countStatements: false,
  });
  const instances = await Promise.all(
    [spec('baseline'), spec('baseline'), spec('multi-account'), spec('multi-account')].map(spec =>
      Instance.start(spec),
    ),
  );
  const [a1, a2, b1, b2] = instances as [Instance, Instance, Instance, Instance];
  try {
    const plain = await Promise.all(
      (await signedInSessions(orm, a1.url, connections, 0)).map(session => loadSession(session, ['/'])),
    );
    const linked = await Promise.all(
      (await signedInSessions(orm, b1.url, connections, 5)).map(session => loadSession(session, ['/'])),
    );
    const half = Math.ceil(connections / 2);
    const side = (on: Instance[], sessions: typeof plain): Side => ({
      instances: on,
      method: 'GET',
      expectedStatus: 200,
      sessions: on.length === 1 ? [sessions] : [sessions.slice(0, half), sessions.slice(half)],
    });
    return [
      { instances: 1, comparison: await compare(side([a1], plain), side([b1], linked), benchSettings) },
      { instances: 2, comparison: await compare(side([a1, a2], plain), side([b1, b2], linked), benchSettings) },
    ];
  } finally {
    await Promise.all(instances.map(instance => instance.close()));
    await drop();
  }
}
