using System.Globalization;
using Spectre.Console;

namespace Repro.Cli;

// A live bar with ETA and current losses on a terminal; one line per epoch otherwise.
internal static class ConsoleProgress
{
    internal static T Run<T>(Output output, string title, Func<IProgress<TrainingProgress>, T> work)
    {
        if (output.Plain)
            return work(new PlainProgress(output));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = ProgressLabel.BarWidth(AnsiConsole.Profile.Width) }, new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(title), maxValue: 1);
                result = work(new LiveProgress(task, title));
            });
        return result;
    }

    internal static string Describe(EpochRecord e) =>
        $"epoch {e.Epoch}: " + string.Join(", ", e.Metrics.Select(m => m.Key + " " + m.Value.ToString("G6", CultureInfo.InvariantCulture)));

    sealed class PlainProgress(Output output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Completed is { } e) output.Line($"[{e.Epoch}/{value.Epochs}] {Describe(e)}");
        }
    }

    // The label keeps the title (the check or its re-run) and the last finished epoch's losses, cut to the terminal's width.
    sealed class LiveProgress(ProgressTask task, string title) : IProgress<TrainingProgress>
    {
        EpochRecord? _last;

        public void Report(TrainingProgress value)
        {
            task.MaxValue = value.Epochs * (double)Math.Max(value.Batches, 1);
            task.Value = (value.Epoch - 1) * (double)value.Batches + value.Batch;
            if (value.Completed is { } e) _last = e;
            task.Description = Markup.Escape(ProgressLabel.For(title, value.Epoch, value.Epochs, _last, AnsiConsole.Profile.Width));
        }
    }
}
