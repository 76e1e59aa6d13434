namespace Cloister.Model;

/// <summary>A resource of the model: it has an AWS id and the logical id it was declared under.</summary>
public interface IResource
{
    /// <summary>The AWS-style id, such as <c>vpc-0a1b2c3d4e5f67890</c>, or the name or ARN where AWS identifies it so.</summary>
    string Id { get; }

    /// <summary>The logical id in the template that declared it.</summary>
    string LogicalId { get; }
}
