package tronusdt.embeddedmongo;

import java.util.List;

import org.h2.mvstore.MVMap;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.ArrayFilters;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;

/**
 * An H2 collection whose stored documents are never changed once stored: an update changes a copy and stores
 * that in the document's place.
 *
 * mongo-java-server updates the stored document object in place, under the collection's lock. But a reply
 * holds stored documents and is encoded after the lock is released, and H2 serializes stored documents when
 * another thread commits or compacts, also outside the lock. Either could meet a document half way through an
 * update: the reply failed (ConcurrentModificationException, the connection closed) or mixed the two versions,
 * and a commit could put that mix on file. With copy on write every holder keeps the version it was given.
 *
 * The copy is shallow: an update replaces the values of the fields it changes (deep copies made from the old
 * ones), it never changes a stored value in place.
 */
final class CopyOnWriteH2Collection extends H2Collection {

    /** Set while an update of this collection runs (under its lock), so that the documents it reads are copies. */
    private boolean updating;

    CopyOnWriteH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                            MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap,
                            CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    public synchronized Document findAndModify(Document query) {
        updating = true;
        try {
            return super.findAndModify(query);
        } finally {
            updating = false;
        }
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

    /** Every query's matches pass here; an update's are copies, which H2Collection.handleUpdate then stores. */
    @Override
    protected QueryResult createQueryResult(List<Document> matchedDocuments, int batchSize) {
        return super.createQueryResult(updating ? StoredDocuments.copies(matchedDocuments) : matchedDocuments,
            batchSize);
    }
}
