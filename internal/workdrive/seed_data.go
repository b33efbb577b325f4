package workdrive

// In seed documents, "admin" names the namespace's OrgAdmin.

// docsSeed holds the entities whose ids the documented examples use.
const docsSeed = `{
 "departments": [
  {"id": "1ae6eb71-dddf-48b7-945f-78127fd85801", "name": "Development", "heads": ["a0c3f96f-73c3-4c67-ba43-b94d640f2485"]},
  {"id": "d3e47d0d-5f6d-49d2-9b7b-21f837291008", "name": "Development/Subdivider", "heads": ["a0c3f96f-73c3-4c67-ba43-b94d640f2485"]},
  {"id": "2886a908-42b4-4612-b096-eac24f229b5b", "name": "Operations", "heads": ["bd06213a-a26b-4cd7-a6b8-cfa154073e1f"]},
  {"id": "1243134a-56b2-11ed-9b6a-0242ac120002", "name": "Sales", "heads": ["admin"]}
 ],
 "locations": [
  {"id": "e9659111-c52a-42c9-b6ed-42d0f5bdd29e", "name": "New York", "admins": ["a0c3f96f-73c3-4c67-ba43-b94d640f2485"]},
  {"id": "9aa53819-f4f8-4c59-ba74-56aae6b604cc", "name": "California", "admins": ["admin"]},
  {"id": "1243134a-56b2-11ed-9b6a-0242ac120002", "name": "Anaheim", "admins": ["admin"]}
 ],
 "files": [
  {"id": "38443974-b996-11ed-afa1-0242ac120002", "name": "stilla-logo.png", "mime": "image/png", "size": 2048}
 ],
 "users": [
  {"id": "a0c3f96f-73c3-4c67-ba43-b94d640f2485", "email": "jane.doe@example.com", "firstName": "Jane", "lastName": "Doe",
   "designation": "Engineering Manager", "phone": "+13756366600", "department": "1ae6eb71-dddf-48b7-945f-78127fd85801",
   "locations": ["e9659111-c52a-42c9-b6ed-42d0f5bdd29e"], "reportsTo": "admin"},
  {"id": "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff", "email": "john@example.com", "firstName": "John", "lastName": "Smith",
   "designation": "Web Developer", "phone": "+13756366604", "department": "1ae6eb71-dddf-48b7-945f-78127fd85801",
   "locations": ["e9659111-c52a-42c9-b6ed-42d0f5bdd29e"], "reportsTo": "a0c3f96f-73c3-4c67-ba43-b94d640f2485"},
  {"id": "bd06213a-a26b-4cd7-a6b8-cfa154073e1f", "email": "maria.garcia@example.com", "firstName": "Maria", "lastName": "Garcia",
   "designation": "Operations Lead", "department": "2886a908-42b4-4612-b096-eac24f229b5b",
   "locations": ["9aa53819-f4f8-4c59-ba74-56aae6b604cc"], "reportsTo": "admin"},
  {"id": "6301fd00-6216-11ec-9294-cfe91ad8177f", "email": "li.wei@example.com", "firstName": "Li", "lastName": "Wei",
   "designation": "Support Specialist", "department": "2886a908-42b4-4612-b096-eac24f229b5b",
   "locations": ["9aa53819-f4f8-4c59-ba74-56aae6b604cc"], "reportsTo": "bd06213a-a26b-4cd7-a6b8-cfa154073e1f"},
  {"id": "6187fcb0-6151-11ec-9294-cfe91ad8177f", "email": "sam.taylor@example.com", "firstName": "Sam", "lastName": "Taylor",
   "designation": "Account Executive", "department": "1243134a-56b2-11ed-9b6a-0242ac120002",
   "locations": ["1243134a-56b2-11ed-9b6a-0242ac120002"], "reportsTo": "admin"},
  {"id": "8a243770-6150-11ec-9294-cfe91ad8177f", "email": "alex.kim@example.com", "firstName": "Alex", "lastName": "Kim",
   "designation": "Sales Associate", "department": "1243134a-56b2-11ed-9b6a-0242ac120002",
   "locations": ["1243134a-56b2-11ed-9b6a-0242ac120002"], "reportsTo": "6187fcb0-6151-11ec-9294-cfe91ad8177f"},
  {"id": "79ba2a88-448d-416a-9c22-c8e96ed8f873", "email": "priya.patel@example.com", "firstName": "Priya", "lastName": "Patel",
   "designation": "Content Writer", "department": "1ae6eb71-dddf-48b7-945f-78127fd85801", "reportsTo": "a0c3f96f-73c3-4c67-ba43-b94d640f2485"},
  {"id": "0fdd5bf6-e975-4f44-bbd9-b4c9900dacb5", "email": "omar.haddad@example.com", "firstName": "Omar", "lastName": "Haddad",
   "designation": "Knowledge Manager", "department": "2886a908-42b4-4612-b096-eac24f229b5b", "reportsTo": "bd06213a-a26b-4cd7-a6b8-cfa154073e1f"},
  {"id": "c8f0e467-cf18-4677-a78e-6b63fd3bedac", "email": "eva.nowak@example.com", "firstName": "Eva", "lastName": "Nowak",
   "designation": "Technical Writer", "department": "1ae6eb71-dddf-48b7-945f-78127fd85801", "reportsTo": "a0c3f96f-73c3-4c67-ba43-b94d640f2485"},
  {"id": "e198ac3a-4ac4-11ed-b878-0242ac120002", "email": "tom.becker@example.com", "firstName": "Tom", "lastName": "Becker",
   "designation": "Office Manager", "department": "2886a908-42b4-4612-b096-eac24f229b5b",
   "locations": ["9aa53819-f4f8-4c59-ba74-56aae6b604cc"], "reportsTo": "bd06213a-a26b-4cd7-a6b8-cfa154073e1f"},
  {"id": "fc4ea4d0-58da-11ec-819d-f9796b594a09", "email": "grace.lee@example.com", "firstName": "Grace", "lastName": "Lee",
   "designation": "Community Manager", "department": "1243134a-56b2-11ed-9b6a-0242ac120002",
   "locations": ["1243134a-56b2-11ed-9b6a-0242ac120002"], "reportsTo": "6187fcb0-6151-11ec-9294-cfe91ad8177f"}
 ],
 "securityGroups": [
  {"id": "061bb94a-4f30-4186-8334-616aada03eef", "name": "Everyone", "members": ["admin", "a0c3f96f-73c3-4c67-ba43-b94d640f2485", "90a34cdd-cb83-49b5-9b54-fe1dd2d829ff"]},
  {"id": "3b95e7a4-d3b0-4cde-9b1f-21ddc534a8b9", "name": "Managers", "members": ["a0c3f96f-73c3-4c67-ba43-b94d640f2485"]}
 ]
}`

// demoSeed is a small, realistic organization: four departments, three
// locations and a reporting line from the admin down.
const demoSeed = `{
 "departments": [
  {"id": "ec515593-8e4c-495f-b623-25bd5a672452", "name": "Engineering", "heads": ["1d6549d2-2db2-4eb2-8661-a40827cb5f66"]},
  {"id": "ddfd0828-17ea-471e-b62c-e56242ae1bb8", "name": "Sales", "heads": ["95ace565-dc3d-4057-b7e6-280d32834019"]},
  {"id": "7b8f9825-8c8f-4969-91d1-79dddff2928e", "name": "People & Culture", "heads": ["315c1d3a-dd41-4053-8760-a41dd33f26ca"]},
  {"id": "16fb8151-37f5-454d-8a02-e3696e5f1bf2", "name": "Finance", "heads": ["admin"], "members": ["admin"]}
 ],
 "locations": [
  {"id": "64e0edff-ddfc-4084-bb0c-d4c5d8dd78b3", "name": "Berlin HQ", "admins": ["admin"], "members": ["admin"]},
  {"id": "534e5d97-6c3d-4c07-b090-4dca005d995b", "name": "Austin Office", "admins": ["95ace565-dc3d-4057-b7e6-280d32834019"]},
  {"id": "26814be3-3bd1-4319-9119-6b741b10d668", "name": "Remote", "admins": ["315c1d3a-dd41-4053-8760-a41dd33f26ca"]}
 ],
 "users": [
  {"id": "1d6549d2-2db2-4eb2-8661-a40827cb5f66", "email": "hannah.becker@northwind.example", "firstName": "Hannah", "lastName": "Becker",
   "designation": "VP Engineering", "phone": "+49 30 1234567", "department": "ec515593-8e4c-495f-b623-25bd5a672452",
   "locations": ["64e0edff-ddfc-4084-bb0c-d4c5d8dd78b3"], "reportsTo": "admin", "bio": "Builds teams that ship."},
  {"id": "95ace565-dc3d-4057-b7e6-280d32834019", "email": "marcus.johnson@northwind.example", "firstName": "Marcus", "lastName": "Johnson",
   "designation": "Head of Sales", "phone": "+1 512 555 0100", "department": "ddfd0828-17ea-471e-b62c-e56242ae1bb8",
   "locations": ["534e5d97-6c3d-4c07-b090-4dca005d995b"], "reportsTo": "admin"},
  {"id": "315c1d3a-dd41-4053-8760-a41dd33f26ca", "email": "aisha.khan@northwind.example", "firstName": "Aisha", "lastName": "Khan",
   "designation": "People Partner", "department": "7b8f9825-8c8f-4969-91d1-79dddff2928e",
   "locations": ["26814be3-3bd1-4319-9119-6b741b10d668"], "reportsTo": "admin"},
  {"id": "ae0408d7-4b6c-48e4-8ebd-9d787c3a002b", "email": "jonas.weber@northwind.example", "firstName": "Jonas", "lastName": "Weber",
   "designation": "Senior Backend Engineer", "department": "ec515593-8e4c-495f-b623-25bd5a672452",
   "locations": ["64e0edff-ddfc-4084-bb0c-d4c5d8dd78b3"], "reportsTo": "1d6549d2-2db2-4eb2-8661-a40827cb5f66"},
  {"id": "a1243336-d597-4d00-98e3-ccc357773950", "email": "sofia.rossi@northwind.example", "firstName": "Sofia", "lastName": "Rossi",
   "designation": "Frontend Engineer", "department": "ec515593-8e4c-495f-b623-25bd5a672452",
   "locations": ["26814be3-3bd1-4319-9119-6b741b10d668"], "reportsTo": "1d6549d2-2db2-4eb2-8661-a40827cb5f66"},
  {"id": "5a115f8c-1c8c-4c42-938e-db8cab1a4a99", "email": "liam.oconnor@northwind.example", "firstName": "Liam", "lastName": "O'Connor",
   "designation": "QA Engineer", "department": "ec515593-8e4c-495f-b623-25bd5a672452",
   "locations": ["64e0edff-ddfc-4084-bb0c-d4c5d8dd78b3"], "reportsTo": "1d6549d2-2db2-4eb2-8661-a40827cb5f66"},
  {"id": "1aaeeb05-5edb-4e7f-9f03-dc5a23edd9e8", "email": "emily.chen@northwind.example", "firstName": "Emily", "lastName": "Chen",
   "designation": "Account Executive", "department": "ddfd0828-17ea-471e-b62c-e56242ae1bb8",
   "locations": ["534e5d97-6c3d-4c07-b090-4dca005d995b"], "reportsTo": "95ace565-dc3d-4057-b7e6-280d32834019"},
  {"id": "47b93a08-f2ce-476d-8df1-2ef9b972f8a0", "email": "diego.morales@northwind.example", "firstName": "Diego", "lastName": "Morales",
   "designation": "Sales Development Rep", "department": "ddfd0828-17ea-471e-b62c-e56242ae1bb8",
   "locations": ["534e5d97-6c3d-4c07-b090-4dca005d995b", "26814be3-3bd1-4319-9119-6b741b10d668"],
   "reportsTo": "95ace565-dc3d-4057-b7e6-280d32834019", "teams": ["1d6549d2-2db2-4eb2-8661-a40827cb5f66"]},
  {"id": "a4760c03-0df7-4bf0-89ef-b45f9f175a5b", "email": "nora.lindqvist@northwind.example", "firstName": "Nora", "lastName": "Lindqvist",
   "designation": "Recruiter", "department": "7b8f9825-8c8f-4969-91d1-79dddff2928e",
   "locations": ["26814be3-3bd1-4319-9119-6b741b10d668"], "reportsTo": "315c1d3a-dd41-4053-8760-a41dd33f26ca"},
  {"id": "216bdcb6-2329-493d-91e5-91fa2999b92e", "email": "peter.novak@northwind.example", "firstName": "Peter", "lastName": "Novak",
   "designation": "Controller", "department": "16fb8151-37f5-454d-8a02-e3696e5f1bf2",
   "locations": ["64e0edff-ddfc-4084-bb0c-d4c5d8dd78b3"], "reportsTo": "admin"}
 ],
 "securityGroups": [
  {"id": "c636a5bf-ced2-478d-810f-a0a8531ff73e", "name": "All Staff", "members": ["admin", "1d6549d2-2db2-4eb2-8661-a40827cb5f66",
   "95ace565-dc3d-4057-b7e6-280d32834019", "315c1d3a-dd41-4053-8760-a41dd33f26ca", "ae0408d7-4b6c-48e4-8ebd-9d787c3a002b",
   "a1243336-d597-4d00-98e3-ccc357773950", "5a115f8c-1c8c-4c42-938e-db8cab1a4a99", "1aaeeb05-5edb-4e7f-9f03-dc5a23edd9e8",
   "47b93a08-f2ce-476d-8df1-2ef9b972f8a0", "a4760c03-0df7-4bf0-89ef-b45f9f175a5b", "216bdcb6-2329-493d-91e5-91fa2999b92e"]},
  {"id": "5ca7a99b-6461-41e4-9626-90b020ae9769", "name": "Managers", "members": ["1d6549d2-2db2-4eb2-8661-a40827cb5f66",
   "95ace565-dc3d-4057-b7e6-280d32834019", "315c1d3a-dd41-4053-8760-a41dd33f26ca"]},
  {"id": "bdfb92fb-1482-4403-b757-0f95e8554ed7", "name": "HR Confidential", "members": ["315c1d3a-dd41-4053-8760-a41dd33f26ca"]}
 ]
}`
