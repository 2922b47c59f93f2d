using Xunit;

namespace Repro.DualTask.Tests.Data;

public class BatchLoaderTests
{
    const long Seed = 2024;

    static WindowSet Windows(int count = 101, int length = 5, int channels = 3)
    {
        var rng = RandomStreams.Create(1, "batch-loader-test-data");
        var inputs = new float[count * length * channels];
        for (var i = 0; i < inputs.Length; i++) inputs[i] = (float)rng.NextGaussian();
        var rul = Enumerable.Range(0, count).Select(i => (float)(i % 126)).ToArray();
        var health = rul.Select(r => (long)RulLabels.HealthClass((int)r)).ToArray();
        var units = Enumerable.Range(0, count).Select(i => 1 + i / 10).ToArray();
        return new WindowSet(length, channels, inputs, rul, health, units);
    }

    static string Fingerprint(IEnumerable<Batch> batches)
    {
        var hasher = new ContentHasher();
        foreach (var b in batches)
        {
            hasher.Add(b.Index);
            hasher.Add(b.Samples);
            hasher.Add(b.Inputs);
            hasher.Add(b.Rul);
            hasher.Add(b.Health);
        }
        return hasher.Finish();
    }

    static string Fingerprint(IEnumerable<int[]> orders)
    {
        var hasher = new ContentHasher();
        foreach (var order in orders) hasher.Add(order);
        return hasher.Finish();
    }

    [Fact]
    public void Batches_are_identical_for_one_two_and_four_workers()
    {
        var data = Windows();
        var options = new BatchLoaderOptions { BatchSize = 8, NoiseStd = 0.1f };
        for (var epoch = 0; epoch < 3; epoch++)
        {
            var one = Fingerprint(new BatchLoader(data, options with { Workers = 1 }).Epoch(Seed, epoch));
            Assert.Equal(one, Fingerprint(new BatchLoader(data, options with { Workers = 2 }).Epoch(Seed, epoch)));
            Assert.Equal(one, Fingerprint(new BatchLoader(data, options with { Workers = 4 }).Epoch(Seed, epoch)));
        }
    }

    [Fact]
    public void A_reused_loader_gives_the_same_batches_as_a_recreated_one()
    {
        var data = Windows();
        var options = new BatchLoaderOptions { BatchSize = 16, Workers = 2, NoiseStd = 0.05f };
        var reused = new BatchLoader(data, options);
        var reusedEpochs = Enumerable.Range(0, 3).Select(e => Fingerprint(reused.Epoch(Seed, e))).ToArray();
        var recreatedEpochs = Enumerable.Range(0, 3).Select(e => Fingerprint(new BatchLoader(data, options).Epoch(Seed, e))).ToArray();
        Assert.Equal(reusedEpochs, recreatedEpochs);
        Assert.Equal(3, reusedEpochs.Distinct().Count());
    }

    [Fact]
    public void A_loader_that_keeps_its_generator_across_epochs_is_caught_by_the_same_comparison()
    {
        // The pitfall: one generator created with the loader and advanced every epoch.
        var reused = new StatefulLoader(Seed);
        var reusedOrders = Enumerable.Range(0, 3).Select(_ => reused.NextEpoch(101)).ToArray();
        var recreatedOrders = Enumerable.Range(0, 3).Select(_ => new StatefulLoader(Seed).NextEpoch(101)).ToArray();
        Assert.Equal(reusedOrders[0], recreatedOrders[0]);
        Assert.NotEqual(Fingerprint(reusedOrders), Fingerprint(recreatedOrders));
    }

    [Fact]
    public void A_batch_holds_copies_of_the_selected_windows_and_their_targets()
    {
        var data = Windows();
        var loader = new BatchLoader(data, new BatchLoaderOptions { BatchSize = 10, Workers = 2 });
        var batches = loader.Epoch(Seed, 1).ToArray();
        Assert.Equal(loader.BatchCount, batches.Length);
        Assert.Equal(EpochOrder.Permutation(Seed, 1, data.Count), batches.SelectMany(b => b.Samples));
        foreach (var batch in batches)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var s = batch.Samples[i];
                Assert.Equal(data.Inputs.AsSpan(s * data.SampleSize, data.SampleSize).ToArray(), batch.Inputs.AsSpan(i * data.SampleSize, data.SampleSize).ToArray());
                Assert.Equal(data.Rul[s], batch.Rul[i]);
                Assert.Equal(data.Health[s], batch.Health[i]);
            }
        }
    }

    [Fact]
    public void Without_shuffling_batches_follow_the_dataset_order()
    {
        var data = Windows();
        var batches = new BatchLoader(data, new BatchLoaderOptions { BatchSize = 7, Shuffle = false, DropLast = true }).Epoch(Seed, 4).ToArray();
        Assert.Equal(101 / 7, batches.Length);
        Assert.Equal(Enumerable.Range(0, 101 / 7 * 7), batches.SelectMany(b => b.Samples));
    }

    [Fact]
    public void Noise_depends_on_sample_and_epoch_but_not_on_batch_size_or_position()
    {
        var data = Windows();
        Dictionary<int, float[]> Noisy(int batchSize, int epoch) =>
            new BatchLoader(data, new BatchLoaderOptions { BatchSize = batchSize, NoiseStd = 0.1f, Workers = 3 })
                .Epoch(Seed, epoch)
                .SelectMany(b => b.Samples.Select((s, i) => (s, b.Inputs.AsSpan(i * data.SampleSize, data.SampleSize).ToArray())))
                .ToDictionary(x => x.s, x => x.Item2);
        var small = Noisy(7, 0);
        var large = Noisy(13, 0);
        var nextEpoch = Noisy(7, 1);
        for (var s = 0; s < data.Count; s++)
        {
            var clean = data.Inputs.AsSpan(s * data.SampleSize, data.SampleSize).ToArray();
            Assert.Equal(small[s], large[s]);
            Assert.NotEqual(clean, small[s]);
            Assert.NotEqual(small[s], nextEpoch[s]);
            var deviation = small[s].Zip(clean, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(deviation < 1f, "noise of std 0.1 should stay small");
        }
    }

    [Fact]
    public void Bad_loader_options_name_the_setting()
    {
        var ex = Assert.Throws<ReproException>(() => new BatchLoader(Windows(), new BatchLoaderOptions { Workers = 0 }));
        Assert.Contains("Workers", ex.Message);
        ex = Assert.Throws<ReproException>(() => new BatchLoader(Windows(), new BatchLoaderOptions { NoiseStd = float.NaN }));
        Assert.Contains("NoiseStd", ex.Message);
    }

    /// <summary>The DataLoader pitfall in miniature: generator state survives between epochs.</summary>
    sealed class StatefulLoader(long seed)
    {
        readonly StableRandom _rng = RandomStreams.Create(seed, EpochOrder.StreamName, 0);

        public int[] NextEpoch(int count)
        {
            var order = Enumerable.Range(0, count).ToArray();
            _rng.ShuffleInPlace(order.AsSpan());
            return order;
        }
    }
}
