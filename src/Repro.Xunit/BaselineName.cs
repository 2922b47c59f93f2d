using System.Globalization;
using System.Text;
using Xunit;
using Xunit.v3;

namespace Repro.Xunit;

// The running test's baseline name: TestClass.TestMethod, and for a theory its arguments, so each data
// row has a baseline of its own without a hand-written name.
internal static class BaselineName
{
    internal static string Current()
    {
        var context = TestContext.Current;
        var method = context.TestMethod?.MethodName
            ?? throw new ReproException("Baseline.VerifyAsync needs a running xunit test, or a name: pass new BaselineSettings { Name = \"...\" }.");
        var type = context.TestClass?.TestClassName ?? "Test";
        var name = type[(type.LastIndexOf('.') + 1)..] + "." + method;
        var arguments = (context.Test as IXunitTest)?.TestMethodArguments ?? [];
        return arguments.Length == 0 ? name : name + "_" + string.Join("_", arguments.Select(Argument));
    }

    // Only SafeNames' characters survive; anything else (spaces, quotes, slashes) becomes '-', and so does
    // '_', which separates the arguments.
    static string Argument(object? value)
    {
        var text = value switch
        {
            null => "null",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "null",
        };
        var safe = new StringBuilder(text.Length);
        foreach (var c in text) safe.Append(SafeNames.Allows(c) && c != '_' ? c : '-');
        return safe.ToString();
    }
}
