/**
 * Runs `task(0)` ... `task(count - 1)`, at most `limit` at a time, started in index order. After a task
 * throws, no further task starts; once every started task has settled, the first error is thrown. So when it
 * returns or throws, nothing it started is still running (a caller can then give back what tasks reserved).
 */
export async function forEachIndex(
  count: number,
  limit: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  if (failure) throw failure.error;
}
