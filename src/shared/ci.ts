// Whether this process runs under CI (the one test of the CI variable that the CLI and the tests
// share), and which CI run and actor it belongs to, from the variables the usual CIs set.

/** CI is set to anything but empty, `false` or `0` (`true`, `1`, `woodpecker`, … all count). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** The CI run this process belongs to, from the variables GitHub, GitLab, Buildkite, CircleCI and Jenkins set. */
export function ciRunUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY) {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const attempt = env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '';
    return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}${attempt}`;
  }
  return env.CI_JOB_URL || env.BUILDKITE_BUILD_URL || env.CIRCLE_BUILD_URL || env.BUILD_URL || undefined;
}

/** Who started the CI run (GitHub, GitLab, Buildkite, CircleCI, Jenkins' build-user plugin), when the CI says. */
export function ciActor(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return (
    env.GITHUB_ACTOR ||
    env.GITLAB_USER_LOGIN ||
    env.BUILDKITE_BUILD_CREATOR ||
    env.CIRCLE_USERNAME ||
    env.BUILD_USER ||
    undefined
  );
}
