// Whether this process runs under CI: the one test of the CI variable that the CLI and the tests share.

/** CI is set to anything but empty, `false` or `0` (`true`, `1`, `woodpecker`, … all count). */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}
