import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../redis/redis.module';
import { outageLog } from './outage-log';

/** Tells the process's outage log how to see that MySQL and Redis are back (probed only while down). */
@Injectable()
export class OutageProbes implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly unregister: Array<() => void> = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  onApplicationBootstrap(): void {
    this.unregister.push(
      outageLog.setProbe('MySQL', () => this.dataSource.query('SELECT 1')),
      outageLog.setProbe('Redis', () => this.redis.ping()),
    );
  }

  onApplicationShutdown(): void {
    for (const undo of this.unregister.splice(0)) undo();
  }
}
