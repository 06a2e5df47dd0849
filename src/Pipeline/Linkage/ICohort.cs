namespace YouthJustice.Pipeline.Linkage;

/// <summary>
/// The children a YOT knows, and the records of its own it has sent, looked up by pseudonyms only: linkage never
/// sees a raw identifier.
/// </summary>
public interface ICohort
{
    /// <summary>The child of a pupil (by UPN pseudonym), or null when the pupil is not in the cohort.</summary>
    string? ChildOfPupil(string pupilId);

    /// <summary>The child of a learner (by ULN pseudonym), or null.</summary>
    string? ChildOfLearner(string learnerId);

    /// <summary>The child with this name + date-of-birth key, or null when none or more than one child has it.</summary>
    string? ChildOfPerson(string personKey);

    /// <summary>Whether the YOT has sent this child (case reference pseudonym) in its children drop.</summary>
    bool KnowsChild(string childId);

    /// <summary>Whether the YOT has sent a record with this value of <paramref name="field"/> in a drop of <paramref
    /// name="dropType"/>.</summary>
    bool Knows(string dropType, string field, string value);
}
