import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { databasePoolSize, type PostwireConfig } from '@postwire/config';
import {
  AlertRepository,
  AlertWebhookRepository,
  ApiKeyRepository,
  AuditLogRepository,
  CampaignRepository,
  ClickContextLoader,
  ClickRepository,
  ClickRetention,
  NetworkRepository,
  OfferRepository,
  DeliveryRepository,
  migrate,
  openSqlClient,
  preparePartitions,
  PostbackLogRepository,
  PostbackLogRetention,
  PostbackRecorder,
  Reattributor,
  ReportRepository,
  SavedReportRepository,
  SigningSecretRepository,
  StatsRepository,
  SubValueRollups,
  SubPairRollups,
  CostRepository,
  CampaignForwardingRulesRepository,
  FraudRepository,
  FraudRescoreRepository,
  SessionRepository,
  UserRepository,
  TrafficSourceRepository,
  ForwardingTargetRepository,
  type SqlClient,
} from '@postwire/persistence';
import { FraudScorer } from '@postwire/core';
import { LazyAsnDatabase } from '@postwire/security';
import { openReportsClient, ReportsClientCloser, ReportsSource } from './reports-database';
import { POSTWIRE_CONFIG, REPORTS_SQL_CLIENT, SQL_CLIENT, VELOCITY_COUNTER } from './tokens';
import type { RedisVelocityCounter } from './velocity/redis-velocity-counter';
import { velocityCounterProvider, VelocityCounterCloser } from './velocity/velocity-counter.provider';

/** Every repository over the SQL client: the one place they are wired, each built from the client alone (the PostbackRecorder also from the config). */
const repositories = [
  SubValueRollups,
  AlertRepository,
  AlertWebhookRepository,
  AuditLogRepository,
  NetworkRepository,
  OfferRepository,
  CampaignRepository,
  ClickRepository,
  ClickRetention,
  DeliveryRepository,
  ReportRepository,
  ApiKeyRepository,
  SigningSecretRepository,
  ClickContextLoader,
  PostbackLogRetention,
  PostbackLogRepository,
  StatsRepository,
  CostRepository,
  CampaignForwardingRulesRepository,
  UserRepository,
  SessionRepository,
  SavedReportRepository,
  ForwardingTargetRepository,
  FraudRepository,
  FraudRescoreRepository,
];

class SqlClientCloser implements OnApplicationShutdown {
  constructor(@Inject(SQL_CLIENT) private readonly db: SqlClient) {}
  async onApplicationShutdown(): Promise<void> {
    await this.db.close();
  }
}

/** Opens the database named by the config (PostgreSQL or embedded PGlite), migrates it, and provides the repositories. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    const client: Provider = {
      provide: SQL_CLIENT,
      inject: [POSTWIRE_CONFIG],
      useFactory: async (config: PostwireConfig) => {
        // Concurrent deliveries share their claim and attempt-log statements, so the pool grows with
        // the worker's concurrency at a fraction of it (pg opens connections only when needed).
        const poolSize = databasePoolSize(config.forwarding.concurrency);
        const logger = new Logger('Database');
        const db = await openSqlClient({
          databaseUrl: config.databaseUrl,
          dataDir: config.dataDir,
          poolSize,
          pgliteSharedBuffersMb: config.pgliteSharedBuffersMb,
          // At most one line per pooled connection per outage: the pool drops a client after its error.
          onConnectionError: (error) => logger.warn(`lost a PostgreSQL connection: ${error.message}`),
        });
        const applied = await migrate(db);
        if (applied.length) logger.log(`applied migrations: ${applied.join(', ')}`);
        // New installs get their history tables partitioned here, while they are empty (docs/storage.md).
        const partitions = await preparePartitions(db);
        if (partitions.converted.length) logger.log(`partitioned by time: ${partitions.converted.join(', ')}`);
        for (const table of partitions.unpartitioned)
          logger.warn(`${table} is not partitioned and too large to convert at boot; run \`npm run db:partition\` (docs/storage.md)`);
        // Finishes the canonical e-mail migration (010) with the one JavaScript folding; a no-op once done.
        const refolded = await new UserRepository(db).canonicaliseStored();
        if (refolded) logger.log(`stored ${refolded} e-mail address(es) in canonical form`);
        logger.log(config.databaseUrl ? 'using PostgreSQL' : `using embedded PGlite in ${config.dataDir}`);
        return db;
      },
    };
    const repos: Provider[] = repositories.map((repo) => ({ provide: repo, inject: [SQL_CLIENT], useFactory: (db: SqlClient) => new repo(db) }));
    // One scorer per process: its ASN data (read on first use) and compiled policies are shared by clicks and conversions.
    const scorer: Provider = {
      provide: FraudScorer,
      inject: [POSTWIRE_CONFIG],
      useFactory: (config: PostwireConfig) => new FraudScorer(new LazyAsnDatabase(config.fraud.asnDataDir)),
    };
    // The recorder also needs the day's cap on the postback log, the fraud scorer and the velocity counter.
    const recorder: Provider = {
      provide: PostbackRecorder,
      inject: [SQL_CLIENT, POSTWIRE_CONFIG, FraudScorer, VELOCITY_COUNTER],
      useFactory: (db: SqlClient, config: PostwireConfig, fraud: FraudScorer, velocity: RedisVelocityCounter | null) =>
        new PostbackRecorder(db, {
          logBytesPerDay: config.postbackLogMaxBytesPerDay,
          fraud: config.fraud.scoring ? fraud : undefined,
          velocity: velocity ?? undefined,
        }),
    };
    // Reattributed conversions are scored like any other (the worker reads the ASN data on its first one).
    const reattributor: Provider = {
      provide: Reattributor,
      inject: [SQL_CLIENT, POSTWIRE_CONFIG, FraudScorer],
      useFactory: (db: SqlClient, config: PostwireConfig, fraud: FraudScorer) => new Reattributor(db, { fraud: config.fraud.scoring ? fraud : undefined }),
    };
    // Traffic sources also need the health thresholds, to tell which are failing.
    const trafficSources: Provider = {
      provide: TrafficSourceRepository,
      inject: [SQL_CLIENT, POSTWIRE_CONFIG],
      useFactory: (db: SqlClient, config: PostwireConfig) => new TrafficSourceRepository(db, config.sourceHealth),
    };
    const reportsClient: Provider = { provide: REPORTS_SQL_CLIENT, inject: [POSTWIRE_CONFIG, SQL_CLIENT], useFactory: openReportsClient };
    // Reports read through their own pool.
    const pairRollups: Provider = {
      provide: SubPairRollups,
      inject: [SQL_CLIENT, POSTWIRE_CONFIG],
      useFactory: (db: SqlClient, config: PostwireConfig) => new SubPairRollups(db, config.reports.pairHead),
    };
    const stats: Provider = { provide: StatsRepository, inject: [REPORTS_SQL_CLIENT], useFactory: (db: SqlClient) => new StatsRepository(db) };
    return {
      module: DatabaseModule,
      providers: [
        client,
        reportsClient,
        ...repos,
        trafficSources,
        pairRollups,
        stats,
        scorer,
        velocityCounterProvider,
        recorder,
        reattributor,
        SqlClientCloser,
        ReportsClientCloser,
        VelocityCounterCloser,
        ReportsSource,
      ],
      exports: [
        SQL_CLIENT,
        REPORTS_SQL_CLIENT,
        ...repositories,
        Reattributor,
        TrafficSourceRepository,
        SubPairRollups,
        StatsRepository,
        PostbackRecorder,
        FraudScorer,
        VELOCITY_COUNTER,
        ReportsSource,
      ],
    };
  }
}
