#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;

/// <summary>
/// One file a dataset is fetched from. Checked against SHA-256, or the authors' published MD5 where no SHA-256 is published.
/// <see cref="PayloadSha256"/>, for a .gz file, is the SHA-256 of its uncompressed content: a copy re-compressed
/// elsewhere (such as the one embedded in this repository) is accepted when its content matches.
/// </summary>
public sealed record DatasetSource(string Url, string FileName, string? Sha256, string? Md5 = null, bool ExtractTarGz = false, string? PayloadSha256 = null);

/// <summary>
/// A fetchable dataset: where its files come from and which files must exist once fetched (an entry ending in '/' is a folder). <see cref="LocalFolders"/> are
/// folders a system package installs the same files into (e.g. Debian's dataset-fashion-mnist); a file there that passes
/// the checksum is copied instead of downloaded.
/// </summary>
public sealed record DatasetSpec(string Name, string Folder, string Licence, IReadOnlyList<DatasetSource> Sources, IReadOnlyList<string> ExpectedFiles,
                                 IReadOnlyList<string>? LocalFolders = null);

/// <summary>The canonical sources of the datasets `selfsim data fetch` knows.</summary>
public static class DatasetCatalog
{
    static readonly string[] MnistFiles = { "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz" };

    public static IReadOnlyList<DatasetSpec> All { get; } = new[]
    {
        new DatasetSpec("mnist", "mnist", "CC BY-SA 3.0 (LeCun, Cortes & Burges)",
            Idx("https://ossci-datasets.s3.amazonaws.com/mnist/",
                new[] { "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6" },
                new[] { "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
                        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
                        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
                        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2" }), MnistFiles),
        // Fashion-MNIST (Xiao et al. 2017). SHA-256 of Zalando's .gz files as published by their mirrors (and the MD5s they
        // publish: 8d4fb7e6…, 25c81989…, bef4ecab…, bb300cfd…). Debian's dataset-fashion-mnist re-gzips the same IDX bytes
        // (other .gz checksums), so its copies are verified by the SHA-256 of the uncompressed IDX content, computed from
        // the Debian files and cross-checked: IDX headers, 60,000/10,000 items, 6,000/1,000 images per class.
        new DatasetSpec("fashion-mnist", "fashion-mnist", "MIT (Zalando Research)",
            Idx("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
                new[] { "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                        "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                        "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                        "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5" },
                new[] { "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
                        "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
                        "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
                        "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34" }), MnistFiles,
            new[] { "/usr/share/datasets/fashion-mnist" }),
        new DatasetSpec("cifar10", "cifar10", "see https://www.cs.toronto.edu/~kriz/cifar.html",
            new[] { new DatasetSource("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", "cifar-10-binary.tar.gz",
                "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", "c32a1d4ab5d03f1284b67883e8d87530", ExtractTarGz: true) },
            new[] { 1, 2, 3, 4, 5 }.Select(i => $"cifar-10-batches-bin/data_batch_{i}.bin").Append("cifar-10-batches-bin/test_batch.bin").ToArray()),
        new DatasetSpec("cifar100", "cifar100", "see https://www.cs.toronto.edu/~kriz/cifar.html",
            new[] { new DatasetSource("https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz", "cifar-100-binary.tar.gz",
                null, "03b5dce01913d631647c71ecec9e9cb8", ExtractTarGz: true) },
            new[] { "cifar-100-binary/train.bin", "cifar-100-binary/test.bin" }),
        // fast.ai publishes no checksum for Imagenette; this MD5 is the one torchvision's Imagenette dataset verifies
        // (341,663,724 bytes). No SHA-256 is published anywhere we could find.
        new DatasetSpec("imagenette", "imagenette", "Apache-2.0 (fast.ai); images from ImageNet, see https://github.com/fastai/imagenette",
            new[] { new DatasetSource("https://s3.amazonaws.com/fast-ai-imageclas/imagenette2-320.tgz", "imagenette2-320.tgz",
                null, "3df6f0d01a2c9592104656642f5e78a3", ExtractTarGz: true) },
            new[] { "imagenette2-320/noisy_imagenette.csv" }),
        // CINIC-10 (Darlow et al. 2018, arXiv 1810.03505; Edinburgh DataShare, doi:10.7488/ds/2448). DataShare publishes no
        // SHA-256; this MD5 of CINIC-10.tar.gz (687,544,992 bytes) is the one the public CINIC-10 loaders verify (the same
        // value in many independent repositories). The archive unpacks to train/, valid/ and test/, ten class folders each.
        new DatasetSpec("cinic10", "cinic10", "CC BY 4.0 (Darlow, Crowley, Antoniou & Storkey); images from CIFAR-10 and ImageNet",
            new[] { new DatasetSource("https://datashare.ed.ac.uk/bitstream/handle/10283/3192/CINIC-10.tar.gz", "CINIC-10.tar.gz",
                null, "6ee4d0c996905fe93221de577967a372", ExtractTarGz: true) },
            new[] { "train", "valid", "test" }.SelectMany(split => ImageFolder.CinicClasses.Select(c => $"{split}/{c}/")).ToArray()),
    };

    public static IEnumerable<string> Names => All.Select(d => d.Name);

    public static DatasetSpec Get(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new SelfSimException($"Unknown dataset '{name}'. Known datasets: {string.Join(", ", Names)}.");

    static DatasetSource[] Idx(string baseUrl, string[] sha256, string[]? payloadSha256) =>
        MnistFiles.Select((f, i) => new DatasetSource(baseUrl + f, f, sha256[i], PayloadSha256: payloadSha256?[i])).ToArray();
}
