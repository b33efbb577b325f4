package worksection

// docsSeed holds what the documented examples need: every user, the owner
// included (for me), and every contact has each "(if specified)" field the
// examples show; there are company and client teams, preset and user-made
// contact folders, and a project whose tasks subscribe and unsubscribe use.
const docsSeed = `{
 "owner": {"title": "CEO", "rate": 50, "department": "Management",
  "phone": "+1 202 555 0100", "phone2": "+1 202 555 0101", "phone3": "+1 202 555 0102", "phone4": "+1 202 555 0103",
  "address": "1 Main Street, Springfield", "address2": "Suite 100"},
 "teams": [{"title": "Acme Client", "client": 1}],
 "users": [
  {"email": "john.smith@example.com", "first_name": "John", "last_name": "Smith", "title": "Project manager",
   "rate": 40, "department": "Delivery", "role": "account admin",
   "phone": "+1 202 555 0110", "phone2": "+1 202 555 0111", "phone3": "+1 202 555 0112",
   "address": "2 Main Street, Springfield", "address2": "Floor 2"},
  {"email": "anna.lee@example.com", "first_name": "Anna", "last_name": "Lee", "title": "Designer",
   "rate": 35.5, "department": "Design", "role": "user",
   "phone": "+1 202 555 0120", "phone2": "+1 202 555 0121", "phone3": "+1 202 555 0122",
   "address": "3 Main Street, Springfield", "address2": "Floor 3"},
  {"email": "client@acme.example", "first_name": "Carl", "last_name": "Client", "title": "Product owner",
   "rate": 0, "group": "Acme Client", "role": "guest",
   "phone": "+1 202 555 0130", "phone2": "+1 202 555 0131", "phone3": "+1 202 555 0132",
   "address": "10 Market Street, Shelbyville", "address2": "Office 5"}
 ],
 "contact_folders": [{"title": "Vendors", "type": "folder"}],
 "contacts": [
  {"email": "mary.jones@supplier.example", "name": "Mary Jones", "title": "Account manager", "group": "Vendors",
   "phone": "+1 202 555 0140", "phone2": "+1 202 555 0141", "phone3": "+1 202 555 0142", "phone4": "+1 202 555 0143",
   "address": "5 Supply Road, Capital City", "address2": "Unit 7"},
  {"email": "peter.brown@partner.example", "name": "Peter Brown", "title": "Consultant", "group": "Partners",
   "phone": "+1 202 555 0150", "phone2": "+1 202 555 0151", "phone3": "+1 202 555 0152", "phone4": "+1 202 555 0153",
   "address": "8 Partner Avenue, Capital City", "address2": "Room 12"}
 ],
 "projects": [{"id": 1, "name": "Website redesign", "user_from": "john.smith@example.com"}],
 "tasks": [
  {"id": 1, "project": 1, "name": "Design the home page", "text": "Mock-ups for desktop and mobile.",
   "priority": 5, "user_from": "john.smith@example.com", "user_to": "anna.lee@example.com",
   "date_added": "2024-03-01 09:30", "date_start": "2024-03-04", "date_end": "2024-03-15", "time_end": "18:00",
   "max_time": 24, "max_money": 1200, "tags": {"1": "design"}, "subscribers": ["john.smith@example.com"]},
  {"id": 2, "project": 1, "name": "Write the copy", "priority": 3, "status": "done",
   "user_from": "john.smith@example.com", "date_added": "2024-03-01 10:00"}
 ]
}`

// demoSeed is a small, realistic agency: two teams and a client team, a few
// members, contacts in preset and own folders, two projects with tasks.
const demoSeed = `{
 "owner": {"first_name": "Olivia", "last_name": "Grant", "title": "Managing director", "department": "Management",
  "phone": "+44 20 7946 0000", "group": "Brightside Studio"},
 "teams": [{"title": "Brightside Studio", "client": 0}, {"title": "Northwind Traders", "client": 1}],
 "users": [
  {"email": "liam.carter@brightside.example", "first_name": "Liam", "last_name": "Carter", "title": "Project manager",
   "rate": 45, "group": "Brightside Studio", "department": "Delivery", "role": "team admin", "phone3": "+44 7700 900001"},
  {"email": "sofia.rossi@brightside.example", "first_name": "Sofia", "last_name": "Rossi", "title": "UI designer",
   "rate": 38, "group": "Brightside Studio", "department": "Design", "role": "user"},
  {"email": "noah.kim@brightside.example", "first_name": "Noah", "last_name": "Kim", "title": "Developer",
   "rate": 42.5, "group": "Brightside Studio", "department": "Engineering", "role": "user",
   "address": "12 Canal Street, London"},
  {"email": "emma.walsh@northwind.example", "first_name": "Emma", "last_name": "Walsh", "title": "Marketing lead",
   "group": "Northwind Traders", "role": "guest"},
  {"email": "freelancer@mail.example", "first_name": "Ivan", "last_name": "Petrov", "title": "Copywriter",
   "group": "Brightside Studio", "role": "reader", "invited": true}
 ],
 "contact_folders": [{"title": "Printers", "type": "folder"}],
 "contacts": [
  {"email": "orders@quickprint.example", "name": "Grace Hall", "title": "Sales", "group": "Printers",
   "phone": "+44 20 7946 0500"},
  {"email": "tom.baker@northwind.example", "name": "Tom Baker", "title": "CFO", "group": "Clients",
   "phone2": "+44 20 7946 0600", "address": "1 Harbour Road, Bristol"},
  {"email": "hello@photolab.example", "name": "Mia Chen", "group": "Partners"}
 ],
 "projects": [
  {"name": "Northwind website", "user_from": "liam.carter@brightside.example"},
  {"name": "Spring campaign", "user_from": "liam.carter@brightside.example"}
 ],
 "tasks": [
  {"project": 1, "name": "Sitemap and wireframes", "priority": 7, "user_from": "liam.carter@brightside.example",
   "user_to": "sofia.rossi@brightside.example", "date_start": "2025-04-01", "date_end": "2025-04-11", "max_time": 16,
   "tags": {"11": "UX"}, "subscribers": ["liam.carter@brightside.example", "emma.walsh@northwind.example"]},
  {"project": 1, "name": "Build the CMS templates", "priority": 5, "user_from": "liam.carter@brightside.example",
   "user_to": "noah.kim@brightside.example", "date_end": "2025-05-02", "time_end": "17:00", "max_time": 40, "max_money": 3400,
   "subscribers": ["liam.carter@brightside.example"]},
  {"project": 1, "name": "Kick-off meeting", "status": "done", "user_from": "liam.carter@brightside.example"},
  {"project": 2, "name": "Campaign copy", "priority": 4, "user_from": "liam.carter@brightside.example",
   "user_to": "freelancer@mail.example", "text": "Three headline options and body copy."}
 ]
}`
