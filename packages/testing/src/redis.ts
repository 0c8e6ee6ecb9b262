import { RedisContainer, type StartedRedisContainer } from '@testcontainers/redis';
import { composeImage } from './compose-images.js';

export type StartedRedis = StartedRedisContainer;

/** A Redis container with the image of the stack's Redis. */
export async function startRedis(): Promise<StartedRedis> {
  return new RedisContainer(composeImage('redis')).start();
}
