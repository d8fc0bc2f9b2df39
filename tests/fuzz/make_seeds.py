#!/usr/bin/env python3
"""Writes the fuzzers' starting corpora (corpus/<target>/seed-*): a few valid inputs of each
kind. Longer local runs grow the corpora from here (see README: Fuzzing)."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "neuronav")


def bson(doc):
    """A minimal BSON encoder: dict, list, str, bool, int (32/64), float, None."""
    body = b""
    for key, value in (doc.items() if isinstance(doc, dict) else enumerate(doc)):
        name = str(key).encode() + b"\0"
        if isinstance(value, bool):
            body += b"\x08" + name + (b"\x01" if value else b"\x00")
        elif isinstance(value, int) and -2**31 <= value < 2**31:
            body += b"\x10" + name + struct.pack("<i", value)
        elif isinstance(value, int):
            body += b"\x12" + name + struct.pack("<q", value)
        elif isinstance(value, float):
            body += b"\x01" + name + struct.pack("<d", value)
        elif isinstance(value, str):
            s = value.encode() + b"\0"
            body += b"\x02" + name + struct.pack("<i", len(s)) + s
        elif value is None:
            body += b"\x0a" + name
        elif isinstance(value, dict):
            body += b"\x03" + name + bson(value)
        elif isinstance(value, list):
            body += b"\x04" + name + bson(value)
    return struct.pack("<i", len(body) + 5) + body + b"\0"


def op_msg(doc, request_id=1):
    payload = struct.pack("<I", 0) + b"\0" + bson(doc)
    return struct.pack("<iiii", 16 + len(payload), request_id, 0, 2013) + payload


def op_query_hello():
    query = struct.pack("<i", 0) + b"admin.$cmd\0" + struct.pack("<ii", 0, -1) + bson({"isMaster": 1})
    return struct.pack("<iiii", 16 + len(query), 1, 0, 2004) + query


COMMANDS = [
    {"find": "c", "filter": {"a.b": {"$gt": 1}}, "sort": {"_id": -1}, "limit": 2},
    {"aggregate": "c", "pipeline": [{"$unwind": "$a"}, {"$group": {"_id": "$s", "n": {"$sum": 1}}}],
     "cursor": {}},
    {"update": "c", "updates": [{"q": {"_id": 1}, "u": {"$set": {"a.1": 5}, "$inc": {"n": 1}}}]},
    {"update": "c", "updates": [{"q": {}, "u": [{"$set": {"t": {"$concat": ["$s", "x"]}}}],
                                 "multi": True}]},
    {"delete": "c", "deletes": [{"q": {"$or": [{"_id": 1}, {"s": {"$exists": False}}]}, "limit": 0}]},
    {"findAndModify": "c", "query": {"_id": 2}, "update": {"$push": {"l": {"$each": [1, 2], "$slice": -1}}},
     "new": True, "upsert": True},
    {"createIndexes": "c", "indexes": [{"key": {"a": 1, "s": -1}, "name": "a_s"}]},
    {"create": "v", "validator": {"$jsonSchema": {"required": ["x"], "properties": {"x": {"bsonType": "int"}}}}},
    {"count": "c", "query": {"a": {"$elemMatch": {"$gte": 1}}}, "skip": 1},
    {"distinct": "c", "key": "a"},
    {"find": "c", "projection": {"a": {"$slice": [1, 1]}, "s": 1}},
    {"listIndexes": "c"},
    {"collMod": "c", "validator": {"s": {"$type": "string"}}},
    {"renameCollection": "test.c", "to": "test.d"},
    {"find": "c", "readConcern": {"level": "snapshot"}, "filter": {"a": {"$in": [1, 2, "x"]}}},
    {"create": "k", "clusteredIndex": {"key": {"_id": 1}, "unique": True, "name": "k"}},
    {"create": "cap", "capped": True, "size": 4096, "max": 2},
    {"find": "cap", "tailable": True, "awaitData": True},
    {"aggregate": 1, "pipeline": [{"$documents": [{"a": 1}]}, {"$out": "made"}], "cursor": {}},
    {"insert": "v", "documents": [{"x": "no", "y": [1, 1]}], "writeConcern": {"w": 2}},
    {"create": "w", "validator": {"$jsonSchema": {"anyOf": [{"required": ["a"]}, {"not": {"required": ["b"]}}],
                                                 "properties": {"n": {"minimum": 1, "enum": [1, 2]}},
                                                 "additionalProperties": False, "uniqueItems": True}}},
]


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def main():
    for f in sorted(os.listdir(EXAMPLES)):
        text = open(os.path.join(EXAMPLES, f), "rb").read()
        write("migration_file", f, text)
        write("extended_json", f, text)
    write("extended_json", "wrappers", '{"d": {"$date": "2024-01-31T12:00:00.123+02:00"}, '
          '"o": {"$oid": "65a000000000000000000001"}, "l": {"$numberLong": "-9"}, '
          '"t": {"$timestamp": {"t": 1, "i": 2}}, "b": {"$binary": {"base64": "AAE=", "subType": "04"}}, '
          '"u": {"$uuid": "00112233-4455-6677-8899-aabbccddeeff"}, "r": {"$regularExpression": '
          '{"pattern": "^a", "options": "i"}}, "x": {"$numberDecimal": "1.5"}, "m": {"$minKey": 1}}')
    # The batchedUpdate step (its own parser: every field, a pipeline update, a bad batchSize).
    write("migration_file", "batched_update",
          '{"version": 6, "description": "lower", "up": [{"batchedUpdate": "users", '
          '"filter": {"e": {"$exists": true}}, "update": [{"$set": {"l": {"$toLower": "$e"}}}], '
          '"batchSize": 1000, "maxDocsPerSecond": 20000.5, "pauseMS": 10, "allowReapply": false}]}')
    write("migration_file", "batched_update_bad",
          '{"version": 6, "description": "x", "up": [{"batchedUpdate": "u", "update": {"$inc": '
          '{"n": 1}}, "batchSize": 100001}, {"command": {"batchedUpdate": "u"}}]}')
    for i, name in enumerate(["001_create_users.json", "20240115123045-add-users.js",
                              "003_add_x.ts", "001_x.cjs",
                              "002_x.js", "abc.json", "0001_a_b_c.json"]):
        write("file_name", str(i), name)
    for i, uri in enumerate(["mongodb://user:p%40ss@localhost:27017/db?authSource=admin",
                             "mongodb+srv://u:secret@cluster0.example.net/app",
                             "mongodb://a,b,c/db?replicaSet=rs0", "mongodb://u:pa%zz@h/db"]):
        write("uri_redact", str(i), uri)
    for i, command in enumerate(COMMANDS):
        write("command_dispatch", str(i), bson(command))
        write("bson_decode", str(i), bson(command))
        write("op_msg", str(i), op_msg(dict(command, **{"$db": "test"}), i + 1))
    write("op_msg", "hello", op_query_hello())
    write("project_file", "full",
          'dir = "migrations"\nuri_env = "MONGODB_URI"\nenv_file = ".env"\n'
          'history_collection = "migrationHistory"\nlock_collection = "migrationLock"\n'
          'scheme = "timestamp"\nformat = "js"\nlock_timeout = 60\nlock_lease = 30.5\n'
          'transactions = true\nallow_out_of_order = false\n\n'
          '[environments.staging]\nuri_env = "STAGING_MONGODB_URI"\nlock_timeout = 300\n'
          '[environments.local]\nuri = "mongodb://localhost/app"\n')
    write("project_file", "bad", 'lock_timout = 5\n[environments]\nx = 3\ndir = [[[1]]]\n')
    write("project_file", "dotenv", 'export MONGODB_URI="mongodb://h/db"\nA=\'b\' # c\n')
    write("schema_snapshot", "neuronav",
          '{"mongoMigrateSchema": 1, "version": 3, "migrations": [{"version": 1, "checksum": "ab"}],'
          ' "collections": [{"name": "users", "type": "collection", "options": {"validator": '
          '{"$jsonSchema": {"required": ["email"]}}, "validationLevel": "strict"}, "indexes": ['
          '{"key": {"_id": 1}, "name": "_id_"}, {"key": {"email": 1}, "name": "email_1", '
          '"unique": true, "collation": {"locale": "en", "strength": 2}}]}, {"name": "v", "type": '
          '"view", "options": {"viewOn": "users", "pipeline": [{"$match": {"a": 1}}]}}]}')
    write("dump_reader", "two", bson({"_id": 1, "email": "a@x"}) + bson({"_id": 2, "n": 1.5}))
    write("dump_reader", "truncated", bson({"_id": 1, "email": "a@x"})[:-3])
    write("schema_snapshot", "bad", '{"mongoMigrateSchema": 1, "version": 1.5, "collections": [[]]}')


if __name__ == "__main__":
    main()
