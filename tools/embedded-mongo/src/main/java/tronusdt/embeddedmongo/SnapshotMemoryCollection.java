package tronusdt.embeddedmongo;

import java.util.List;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.memory.MemoryCollection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * An in-memory collection whose answers are copies of the stored documents, taken under the collection's lock.
 *
 * mongo-java-server updates the stored document object in place, under that lock, while a reply that holds
 * stored documents is encoded after the lock is released: a reply met a document half way through an update
 * and failed (ConcurrentModificationException, the connection closed) or mixed the two versions. (This backend
 * keeps its documents in a list it does not expose, so it cannot store a copy instead, as
 * {@link CopyOnWriteH2Collection} does; nothing else reads its documents outside the lock.)
 *
 * The copy is shallow: an update replaces the values of the fields it changes (deep copies made from the old
 * ones), it never changes a stored value in place.
 */
final class SnapshotMemoryCollection extends MemoryCollection {

    /** Set while an update of this collection runs (under its lock): it must change the stored documents. */
    private boolean updating;

    SnapshotMemoryCollection(MongoDatabase database, String collectionName, CollectionOptions options,
                             CursorRegistry cursorRegistry) {
        super(database, collectionName, options, cursorRegistry);
    }

    /** Its reply may be the stored document itself (the new version, or an upserted one): copied here. */
    @Override
    public synchronized Document findAndModify(Document query) {
        Document result;
        updating = true;
        try {
            result = super.findAndModify(query);
        } finally {
            updating = false;
        }
        if (result.get("value") instanceof Document value) {
            result.put("value", value.clone());
        }
        return result;
    }

    @Override
    public synchronized Document updateDocuments(Document selector, Document updateQuery, ArrayFilters arrayFilters,
                                                 boolean isMulti, boolean isUpsert, Oplog oplog) {
        updating = true;
        try {
            return super.updateDocuments(selector, updateQuery, arrayFilters, isMulti, isUpsert, oplog);
        } finally {
            updating = false;
        }
    }

    /** Every query's matches pass here (finds, cursors' later batches, aggregations' input). */
    @Override
    protected QueryResult createQueryResult(List<Document> matchedDocuments, int batchSize) {
        return super.createQueryResult(updating ? matchedDocuments : StoredDocuments.copies(matchedDocuments),
            batchSize);
    }
}
