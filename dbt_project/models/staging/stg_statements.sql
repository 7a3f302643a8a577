with source as (
    select * from {{ source('landing', 'statements') }}
),

renamed as (
    select
        article_id,
        statement_id,
        nullif(trim(speaker_name), '') as speaker_name,
        speaker_mention,
        statement_kind,
        statement_text,
        speech_act,
        cue_text,
        text_start,
        text_end,
        evidence_text,
        evidence_start,
        evidence_end
    from source
)

select * from renamed
