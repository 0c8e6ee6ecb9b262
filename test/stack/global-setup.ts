import { DockerComposeEnvironment, Wait } from 'testcontainers';
import type { TestProject } from 'vitest/node';
import { composeProject, repoRoot } from '../../bench/compose-project.js';
import { ADMIN, ALL_SERVICES, JOBS, STACK_ENV, WITHOUT_SHELL } from './stack-env.js';

/**
 * Builds the images from source and starts the real docker-compose.yml once for all stack
 * tests, under a project name of its own; removes it, volumes and images included, at the end.
 */
export default async function setup(project: TestProject) {
  const projectName = `shopstack-test-${Date.now().toString(36)}`;
  const root = repoRoot();
  let environment = new DockerComposeEnvironment(root, 'docker-compose.yml')
    .withProjectName(projectName)
    .withBuild()
    .withEnvironment(STACK_ENV)
    .withStartupTimeout(300_000);
  // Prometheus and the exporters too (on by default). A container with no healthcheck
  // (nginx-exporter) keeps the default wait: `up` returns once it runs.
  for (const service of ALL_SERVICES.filter((name) => !WITHOUT_SHELL.has(name))) {
    environment = environment.withWaitStrategy(`${service}-1`, Wait.forHealthCheck());
  }
  for (const job of JOBS) environment = environment.withWaitStrategy(`${job}-1`, Wait.forOneShotStartup());

  // The admin's password, known to the tests: set with the secrets job (which makes the
  // others) before anything starts, as a user would with their own. `run` builds its image.
  await composeProject({ projectName, root, env: STACK_ENV }).secretsJob(['set', 'admin_password'], ADMIN.password);
  const started = await environment.up();
  project.provide('stack', { projectName, root });
  return async () => {
    await started.down({ removeVolumes: true, timeout: 10_000 });
    // The images were built under this run's project name: they go with it.
    await composeProject({ projectName, root, env: STACK_ENV }).compose('down', '--rmi', 'local');
  };
}
