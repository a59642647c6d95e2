using Ghfe.Webhook;

namespace Ghfe.Tests.Webhook;

public class LabelsTests
{
    [Fact]
    public void Sorts_by_code_point_like_python()
    {
        // UTF-16 order would put U+FF21 (a BMP letter) after U+1F600 (a surrogate pair); code points do not.
        string[] labels = ["😀", "Ａ", "b", "B", "a", "ubuntu-24.04-riscv"];
        Assert.Equal(["B", "a", "b", "ubuntu-24.04-riscv", "Ａ", "😀"], Labels.Sorted(labels));
    }

    [Fact]
    public void Keeps_duplicates()
    {
        Assert.Equal(["x", "x", "y"], Labels.Sorted(["y", "x", "x"]));
    }

    [Fact]
    public void A_prefix_sorts_before_the_longer_label()
    {
        Assert.Equal(["ubuntu-24.04-riscv", "ubuntu-24.04-riscv-2xlarge"], Labels.Sorted(["ubuntu-24.04-riscv-2xlarge", "ubuntu-24.04-riscv"]));
    }
}
