import { docker } from './compose-project.js';

export interface ImageSize {
  image: string;
  base: string;
  totalMb: number;
  baseMb: number;
  /** What the project's own layers add on top of the base image. */
  ownMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1_000_000) * 10) / 10;

async function bytes(image: string): Promise<number> {
  return Number((await docker('image', 'inspect', '-f', '{{.Size}}', image)).trim());
}

export async function imageSize(image: string, base: string): Promise<ImageSize> {
  const [total, baseBytes] = await Promise.all([bytes(image), bytes(base)]);
  return { image, base, totalMb: mb(total), baseMb: mb(baseBytes), ownMb: mb(total - baseBytes) };
}
