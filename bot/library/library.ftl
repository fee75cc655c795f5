btn-library = 📚 Методическая копилка
btn-library-add = 📚 Добавить материал в копилку
btn-library-add-district = 📚 Добавить материал в копилку округа
btn-library-search = 🔎 Поиск
btn-library-for-me = 🎯 По моим затруднениям ({$count})
library-title = <b>Методическая копилка</b> · материалов: {$count}
library-suggested = По затруднениям из вашей анкеты подобрано: {$count}.
library-topic = <b>{$topic}</b>
library-for-me = <b>Материалы по вашим затруднениям</b>
library-nothing = Материалов пока нет.
library-search-ask = Напишите, что искать: слова из названия или темы.
library-found = Поиск «{$query}»: { $count ->
    [one] найден {$count} материал
    [few] найдено {$count} материала
   *[other] найдено {$count} материалов
 }
library-material = <b>{$title}</b>
    Тема: {$topic}. Для кого: { $audience ->
        [mentors] наставники
        [mentees] наставляемые
       *[everyone] все участники
    }.
library-audience = { $audience ->
    [mentors] наставники
    [mentees] наставляемые
   *[everyone] все участники
 }
library-link = Ссылка: {$url}
library-send = Пришлите файл (PDF, Word, PowerPoint, Excel, до 20 МБ) или ссылку на материал.
library-title-ask = Напишите название материала.
library-topic-ask = Выберите тему материала.
library-audience-ask = Для кого этот материал?
library-added = Материал «{$title}» добавлен в методическую копилку.
library-refusal = { $reason ->
    [too_large] Файл больше 20 МБ: такой бот принять не может. Сожмите файл или пришлите ссылку на него.
    [bad_type] Такой файл не подходит. Пришлите документ PDF, Word, PowerPoint, Excel, текст, изображение JPG/PNG или видео MP4 — или ссылку.
    [bad_link] Это не похоже на ссылку. Пришлите адрес, который начинается с http:// или https://, или файл.
    [not_found] Этого материала нет в копилке: возможно, его уже удалили.
    [forbidden_delete] Удалить материал могут только тот, кто его добавил, и куратор школы.
    [attached] Этот материал уже прикреплён к этому пункту плана.
    [forbidden] Добавлять материалы могут куратор школы и координатор округа.
   *[bad_title] Название должно быть непустым и не длиннее 200 символов.
 }
btn-library-delete = 🗑 Удалить материал
btn-library-delete-confirm = 🗑 Да, удалить
library-delete-ask = Удалить материал «{$title}» из методической копилки? Он исчезнет и из планов программ, к которым прикреплён.
library-deleted = Материал «{$title}» удалён из методической копилки.
btn-plan-materials = 📎 Материалы к плану
btn-plan-attach = 📎 Прикрепить материал из копилки
plan-items = <b>Материалы к плану программы.</b> Выберите пункт плана.
plan-empty = В плане программы пока нет пунктов: наставник добавляет их в программе.
plan-item = <b>{$topic}</b> · { $count ->
    [one] прикреплён {$count} материал
    [few] прикреплено {$count} материала
   *[other] прикреплено {$count} материалов
 }
plan-pick = Выберите материал из методической копилки.
plan-attached = Материал «{$title}» прикреплён к пункту плана.
card-plan-title = <b>Материалы к плану:</b>
card-plan-line = • { $item }: { $title }
