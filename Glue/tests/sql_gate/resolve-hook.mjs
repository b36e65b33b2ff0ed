// dt-sql-parser 4.5.1 ships an ES-module build whose relative imports omit ".js" and
// "/index.js" (written for bundlers). Node refuses those; this resolve hook retries them with
// the two suffixes, and leaves every other specifier to Node's own resolution.
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    const retriable = ['ERR_MODULE_NOT_FOUND', 'ERR_UNSUPPORTED_DIR_IMPORT'].includes(err.code);
    if (!specifier.startsWith('.') || !retriable) throw err;
    for (const suffix of ['.js', '/index.js']) {
      try {
        return await nextResolve(specifier + suffix, context);
      } catch {
        // try the next suffix
      }
    }
    throw err;
  }
}
