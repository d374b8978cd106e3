export * from './deployment-guard';
export * from './queue.constants';
export * from './queues.module';
export * from './rate-limit-pause';
export * from './redis-keys';
