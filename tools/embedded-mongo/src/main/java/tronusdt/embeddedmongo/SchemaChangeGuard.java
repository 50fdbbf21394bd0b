package tronusdt.embeddedmongo;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Runs index and collection changes alone, every other command alongside the others.
 *
 * mongo-java-server keeps a collection's indexes in a plain list that createIndexes appends to without the
 * collection's lock, while an insert or update walks that list under it. Mongoose builds its indexes at start,
 * when the service is already writing, so the two met: a ConcurrentModificationException that the client saw as
 * "Unknown error: null". Schema changes are rare (start-up), so the exclusive lock costs nothing in steady state;
 * ordinary commands share the lock and still run in parallel.
 */
final class SchemaChangeGuard {

    private static final Set<String> SCHEMA_COMMANDS =
        Set.of("create", "createindexes", "drop", "dropindexes", "dropdatabase", "renamecollection");

    private final ReadWriteLock lock = new ReentrantReadWriteLock();

    <T> T run(String command, Supplier<T> action) {
        Lock held = SCHEMA_COMMANDS.contains(command.toLowerCase(Locale.ROOT)) ? lock.writeLock() : lock.readLock();
        held.lock();
        try {
            return action.get();
        } finally {
            held.unlock();
        }
    }
}
