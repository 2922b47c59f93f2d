using System.Text.Json.Nodes;

namespace Repro;

// Schema 1 baselines (one model's fixed loss and score fields per epoch, one test record) mapped to
// schema 2 in memory, changing no number: each numeric epoch field becomes a named metric with the
// same value, in file order (the order schema 1 compared them); each score of the test record
// becomes a final metric "test<Field>", its sample count ("units") stays evaluation only. The file
// on disk is left as it is.
internal static class SchemaV1
{
    static readonly string[] NotMetrics = ["epoch", "batchOrderHash"];

    const string TestCount = "units";

    internal static JsonNode Upgrade(JsonNode root)
    {
        root["schemaVersion"] = BaselineSeal.UnsealedSchemaVersion;
        if (root["fingerprint"] is JsonObject fingerprint) UpgradeFingerprint(fingerprint);
        return root;
    }

    static void UpgradeFingerprint(JsonObject fingerprint)
    {
        fingerprint["schemaVersion"] = TrainingFingerprint.CurrentSchemaVersion;
        if (fingerprint["epochs"] is JsonArray epochs)
            foreach (var epoch in epochs.OfType<JsonObject>())
            {
                var metrics = new JsonObject();
                foreach (var field in epoch.Where(f => !NotMetrics.Contains(f.Key) && f.Value is JsonValue).Select(f => f.Key).ToList())
                    if (epoch.Remove(field, out var value)) metrics[field] = value;
                var order = epoch["batchOrderHash"];
                epoch.Remove("batchOrderHash");
                epoch["metrics"] = metrics;
                epoch["batchOrderHash"] = order;
            }
        var configured = fingerprint["configuredEpochs"]?.GetValue<int>() ?? 0;
        var count = (fingerprint["epochs"] as JsonArray)?.Count ?? 0;
        var best = fingerprint["bestEpoch"];
        fingerprint["stoppedEarly"] = best is not null && count < configured;
        if (fingerprint["test"] is JsonObject test)
        {
            fingerprint.Remove("test");
            var final = new JsonObject();
            foreach (var (field, value) in test.Where(f => f.Key != TestCount && f.Value is JsonValue))
                final["test" + char.ToUpperInvariant(field[0]) + field[1..]] = value!.DeepClone();
            fingerprint["final"] = final;
            fingerprint["evaluation"] = new JsonObject { ["test"] = test };
        }
    }
}
