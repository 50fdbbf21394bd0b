package tronusdt.embeddedmongo;

import java.util.List;
import java.util.regex.Pattern;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.bson.BsonRegularExpression;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.KeyConstraintError;

/**
 * A unique single-field index (the _id index, an idempotency key) that also serves a query naming more fields
 * than its own, as long as the query pins its field to one value.
 *
 * mongo-java-server uses an index only for a query whose fields are exactly the index's, so the guarded update
 * `{_id: id, status: "approved"}` scanned the whole collection and got slower with every stored transfer. Such a
 * query can match at most the one document the index finds for `{_id: id}`; that document is then matched
 * against the whole query as before. Everything else is the wrapped index's own behaviour.
 */
final class EqualityLookupIndex<P> extends Index<P> {

    private final Index<P> index;
    private final String field;

    private EqualityLookupIndex(Index<P> index, String field, List<IndexKey> keys, boolean sparse) {
        super(index.getName(), keys, sparse);
        this.index = index;
        this.field = field;
    }

    /** Wraps a unique index on one field; any other index is returned as it is. */
    static <P> Index<P> widen(Index<P> index, List<IndexKey> keys, boolean sparse) {
        if (keys.size() != 1) {
            return index;
        }
        return new EqualityLookupIndex<>(index, keys.get(0).getKey(), keys, sparse);
    }

    @Override
    public boolean canHandle(Document query) {
        return index.canHandle(query) || (query.size() > 1 && narrowed(query) != null);
    }

    @Override
    public Iterable<P> getPositions(Document query) {
        return index.canHandle(query) ? index.getPositions(query) : index.getPositions(narrowed(query));
    }

    /** `{field: value}` when the query pins the field to a single plain value the index can look up, else null. */
    private Document narrowed(Document query) {
        Object value = query.get(field);
        if (!isPlainValue(value)) {
            return null;
        }
        Document lookup = new Document(field, value);
        return index.canHandle(lookup) ? lookup : null;
    }

    /**
     * Operators, embedded documents, arrays (element matching), regular expressions and null (a missing field)
     * match by other rules than key equality, so they are left to the full scan.
     */
    static boolean isPlainValue(Object value) {
        return value != null
            && !(value instanceof Document)
            && !(value instanceof List<?>)
            && !(value instanceof Pattern)
            && !(value instanceof BsonRegularExpression);
    }

    @Override
    public boolean isUnique() {
        return index.isUnique();
    }

    @Override
    public P getPosition(Document document) {
        return index.getPosition(document);
    }

    @Override
    public void checkAdd(Document document, MongoCollection<P> collection) {
        index.checkAdd(document, collection);
    }

    @Override
    public void add(Document document, P position, MongoCollection<P> collection) {
        index.add(document, position, collection);
    }

    @Override
    public P remove(Document document) {
        return index.remove(document);
    }

    @Override
    public long getCount() {
        return index.getCount();
    }

    @Override
    public long getDataSize() {
        return index.getDataSize();
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<P> collection) {
        index.checkUpdate(oldDocument, newDocument, collection);
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, P position, MongoCollection<P> collection)
        throws KeyConstraintError {
        index.updateInPlace(oldDocument, newDocument, position, collection);
    }

    @Override
    public void drop() {
        index.drop();
    }
}
